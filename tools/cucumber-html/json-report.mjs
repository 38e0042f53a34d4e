// Renders a Cucumber JSON file with multiple-cucumber-html-reporter: `node json-report.mjs DIR_WITH_JSON OUT_DIR`.
import { generate } from 'multiple-cucumber-html-reporter'

const [jsonDir, reportPath] = process.argv.slice(2)
await generate({ jsonDir, reportPath, displayDuration: true, durationInMS: false, disableLog: true })
