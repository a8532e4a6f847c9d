import { readFileSync } from 'node:fs';

/** A JSON Schema fragment as @nestjs/swagger writes it into docs/openapi.json. */
export interface SchemaFragment {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaFragment>;
  items?: SchemaFragment;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** `/api/mirrors/{id}` */
  path: string;
  pathParams: string[];
  query: { name: string; schema: SchemaFragment }[];
  body: SchemaFragment | null;
  admin: boolean;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema?: SchemaFragment }[];
        requestBody?: { content: Record<string, { schema: SchemaFragment }> };
      }
    >
  >;
}

/** Every operation of the committed OpenAPI document: what the fuzzer generates requests from. */
export function loadOperations(file: string): Operation[] {
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? { type: 'string' } })),
        body: operation.requestBody ? (content['application/json']?.schema ?? Object.values(content)[0]?.schema ?? {}) : null,
        admin: path.startsWith('/api/admin/'),
      });
    }
  }
  return operations;
}
