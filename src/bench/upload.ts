/**
 * The bench's uploader (service.ts): posts a file as a browser would, from its own process,
 * streamed from disk with its length, and prints the answer's status and body as JSON. In the
 * server's own process the client's work would be charged to the server's thread.
 *
 *   node dist/bench/upload.js URL FILE CONTENT-TYPE COOKIE CSRF
 */
import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';

const [url, file, type, cookie, csrf] = process.argv.slice(2);
if (!url || !file || !type || !cookie || !csrf) {
  console.error('node dist/bench/upload.js URL FILE CONTENT-TYPE COOKIE CSRF');
  process.exit(2);
}
const post = request(
  url,
  {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': type, 'content-length': statSync(file).size },
  },
  (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      process.stdout.write(
        JSON.stringify({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
  },
);
post.on('error', (error) => {
  console.error(`${url}: ${error.message}`);
  process.exit(1);
});
createReadStream(file).pipe(post);
