// A node --test reporter that writes one line per top-level test or suite:
// <file>\t<duration ms>\t<name>. scripts/test.sh sums them per file to print
// the slowest files of each pass (CI time, issue 21 must-show 8).
export default async function* timingReporter(source) {
  for await (const event of source) {
    if ((event.type === "test:pass" || event.type === "test:fail") && event.data.nesting === 0) {
      yield `${event.data.file ?? "?"}\t${Math.round(event.data.details.duration_ms)}\t${event.data.name}\n`;
    }
  }
}
