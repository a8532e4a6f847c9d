/**
 * The vantage this process probes from, seeded by the first migration. Lives
 * with configuration so every layer (persistence, leadership, probing,
 * ranking, delivery) can import it downward.
 */
export const LOCAL_VANTAGE_ID = 'local';
