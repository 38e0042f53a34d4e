// Cucumber Messages (NDJSON on stdin) to Cucumber's self-contained HTML report (stdout).
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CucumberHtmlStream } from '@cucumber/html-formatter'

async function* envelopes() {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim()) yield JSON.parse(line)
  }
}

await pipeline(Readable.from(envelopes()), new CucumberHtmlStream(), process.stdout)
