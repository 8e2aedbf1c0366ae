// Preloaded into the platform's processes by `npm run bench -- --cpu-prof DIR` (through
// NODE_OPTIONS, where node refuses --cpu-prof itself): profiles the whole life of the process with
// V8's sampling profiler and writes DIR/<pid>.cpuprofile when it exits, for Chrome DevTools.
const { writeFileSync } = require("node:fs");
const path = require("node:path");
const inspector = require("node:inspector");

const directory = process.env.TOOLGATE_CPU_PROFILE_DIR;
if (directory) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.start");
  process.once("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (!error)
        writeFileSync(path.join(directory, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
