// The baseline: a plain node:http server sending one file from disk per request,
// in its own process, as a static web server would (no framework, no routing).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';

const [file] = process.argv.slice(2);
const server = createServer((req, res) => {
  readFile(file).then(
    (body) => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length }).end(body),
    () => res.writeHead(500).end(),
  );
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
