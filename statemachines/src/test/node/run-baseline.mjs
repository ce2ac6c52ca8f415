// The npm baseline of statemachines' EngineBenchmark: runs one definition with
// aws-local-stepfunctions, the same way the Java side runs it, and prints one line of JSON.
//
//   node run-baseline.mjs <definition.json> <input.json> <executions> <warmupRounds> <rounds> [handlers]
//
// Every execution's event log is drained into an array that is kept until the round ends: that is
// this package's execution history, recorded in full as ours is. A transition is a state entered
// (a StateEntered event, Map iterations' states included), counted from those logs, as the Java
// side counts *StateEntered events in its histories. transitionsPerSecond is the best round's
// transitions / wall seconds, each round starting all its executions at once and awaiting them
// all (one Node thread, as the package runs).
//
// handlers: "instant-echo" overrides every Task state with a local function that returns its input
// (the package's taskResourceLocalHandlers), so no Lambda is ever called.
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionFile, inputFile, executionsArg, warmupArg, roundsArg, handlers] = process.argv.slice(2);
const definition = JSON.parse(readFileSync(definitionFile, 'utf8'));
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const executions = Number(executionsArg);
const warmupRounds = Number(warmupArg);
const rounds = Number(roundsArg);

const overrides = {};
if (handlers === 'instant-echo') {
  overrides.taskResourceLocalHandlers = {};
  for (const name of taskStateNames(definition)) {
    overrides.taskResourceLocalHandlers[name] = async (taskInput) => taskInput;
  }
}

function taskStateNames(machine) {
  const names = [];
  for (const [name, state] of Object.entries(machine.States)) {
    if (state.Type === 'Task') names.push(name);
    for (const sub of [...(state.Branches ?? []), state.ItemProcessor ?? state.Iterator].filter(Boolean)) {
      names.push(...taskStateNames(sub));
    }
  }
  return names;
}

// Path checks off: the definitions are the Java side's, already validated there.
const machine = new StateMachine(definition, { validationOptions: { checkPaths: false, checkArn: false } });

async function runOne() {
  const execution = machine.run(input, { overrides });
  const history = [];
  const drained = (async () => {
    for await (const event of execution.eventLogs) history.push(event);
  })();
  const output = await execution.result;
  await drained;
  let entered = 0;
  for (const event of history) if (event.type === 'StateEntered') entered++;
  return { output, entered, history };
}

async function round() {
  const start = process.hrtime.bigint();
  const results = await Promise.all(Array.from({ length: executions }, runOne));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const transitions = results.reduce((sum, r) => sum + r.entered, 0);
  return { seconds, transitions, output: results[0].output, perExecution: results[0].entered };
}

for (let i = 0; i < warmupRounds; i++) await round();
let best = null;
const all = [];
for (let i = 0; i < rounds; i++) {
  const r = await round();
  all.push(Math.round(r.transitions / r.seconds));
  if (best === null || r.transitions / r.seconds > best.transitions / best.seconds) best = r;
}
console.log(JSON.stringify({
  engine: 'aws-local-stepfunctions',
  node: process.version,
  executions,
  transitionsPerExecution: best.perExecution,
  transitions: best.transitions,
  seconds: best.seconds,
  transitionsPerSecond: Math.round(best.transitions / best.seconds),
  rounds: all,
  output: best.output,
}));
