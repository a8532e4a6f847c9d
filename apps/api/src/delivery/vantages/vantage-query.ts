/** The `vantage` parameter of the REST reads (history, incidents), as documented in OpenAPI. */
export const VANTAGE_READ_QUERY = {
  name: 'vantage',
  required: false,
  type: String,
  description: 'a vantage id (GET /api/vantages): what that network saw; default local (this server). 400 naming `vantage` when unknown',
};
