import pg from 'pg';

/** What a fleet's provisioning script gets from `/api/recommended-daemon.json?count=N`. */
export interface ServedRecommendation {
  status: number;
  body: string;
  etag: string | null;
  lastModified: string | null;
}

export async function servedRecommendation(origin: string, count: number): Promise<ServedRecommendation> {
  const response = await fetch(`${origin}/api/recommended-daemon.json?count=${count}`);
  return {
    status: response.status,
    body: await response.text(),
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
  };
}

/** The public list the scheduler stored for `count` (the Recommendation table), read straight from PostgreSQL. */
export async function storedPublicList(databaseUrl: string, count: number): Promise<string[] | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ mirrors: string }>('SELECT mirrors FROM "Recommendation" WHERE scope = $1 AND count = $2', [
      'public',
      count,
    ]);
    return rows[0] ? (JSON.parse(rows[0].mirrors) as string[]) : null;
  } finally {
    await client.end();
  }
}
