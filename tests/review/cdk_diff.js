// What the CDK CLI's own template comparison (the one `cdk diff --template` prints) says each
// golden case replaces. Reads {case: {before, after}} on stdin; writes {case: [logical ids]}.
// It runs the aws-cdk package's DiffFormatter (the CLI's diff, exported by the package) in one
// process, instead of one `cdk diff` process of about 3 s per case.
const { DiffFormatter } = require(process.argv[2]);

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const replaced = {};
  for (const [name, { before, after }] of Object.entries(cases)) {
    const formatter = new DiffFormatter({ templateInfo: { oldTemplate: before, newTemplate: { template: after, stackName: name } } });
    const diff = formatter.computeDiff(name, before, after, undefined, {});
    replaced[name] = [];
    diff.resources.forEachDifference((logicalId, change) => {
      if (change.changeImpact === "WILL_REPLACE" || change.changeImpact === "MAY_REPLACE") {
        replaced[name].push(logicalId);
      }
    });
    replaced[name].sort();
  }
  process.stdout.write(JSON.stringify(replaced));
});
