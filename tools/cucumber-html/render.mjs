// Cucumber Messages (NDJSON on stdin) to Cucumber's self-contained HTML report (stdout).
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { CucumberHtmlStream } from '@cucumber/html-formatter'

// The formatter's own files, named here so that Node.js before 20.11 finds them too.
const dist = fileURLToPath(new URL('./node_modules/@cucumber/html-formatter/dist/', import.meta.url))

async function* envelopes() {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim()) yield JSON.parse(line)
  }
}

await pipeline(
  Readable.from(envelopes()),
  new CucumberHtmlStream(`${dist}main.css`, `${dist}main.js`, `${dist}src/icon.url`),
  process.stdout,
)
