import { formatMs } from "../report/format.ts";
import { runClients } from "./client.ts";
import { completedOps } from "../checkers/history-ops.ts";
import { outcomeOf } from "../sim/history.ts";
import { diagnosedGenericChecks, explain } from "./diagnose.ts";
import type { Workload } from "./types.ts";

/** echo: every node answers `echo` with `echo_ok` carrying the same `echo` value. */
export const echo: Workload = {
  name: "echo",
  summary: 'Reply to {type: "echo", echo: x} with {type: "echo_ok", echo: x}.',
  rpcs: [{ request: '{type: "echo", echo: string}', reply: '{type: "echo_ok", echo: string}' }],
  driver(api, spec) {
    let n = 0;
    return {
      start: () =>
        runClients(api, spec, () => {
          const value = `hello ${++n}`;
          return {
            node: api.rng.pick(api.nodeIds),
            f: "echo",
            value,
            body: { type: "echo", echo: value },
            readValue: (reply) => reply.echo,
          };
        }),
      final: () => {},
    };
  },
  checks: {
    ...diagnosedGenericChecks(),
    /** Every echo is answered, with exactly the value sent. */
    echo(run) {
      const ops = completedOps(run.history);
      const wrong = ops.find((op) => op.status === "ok" && op.output !== op.value);
      if (wrong) {
        // No field at all is the usual slip (msg.echo for msg.body.echo): JSON drops an undefined value.
        const why = wrong.output === undefined ? ' The echo_ok had no "echo" field: the value is msg.body.echo (msg holds src, dest and body).' : "";
        return {
          ok: false,
          message: `${wrong.process} sent echo ${JSON.stringify(wrong.value)} to ${wrong.node} and got back ${wrong.output === undefined ? "no value" : JSON.stringify(wrong.output)} (at ${formatMs(wrong.returnMs)}): echo_ok must carry the same "echo" value.${why}`,
        };
      }
      const unanswered = ops.filter((op) => op.status !== "ok");
      if (ops.length === 0) return { ok: false, message: "No echo request completed: the clients sent none before the run ended." };
      if (unanswered.length > 0) {
        const op = unanswered[0]!;
        const evidence = `${unanswered.length} of ${ops.length} echo requests got no echo_ok; the first: ${op.process} → ${op.node} at ${formatMs(op.invokeMs)} ended ${outcomeOf(op)}${op.code !== undefined ? ` (error code ${op.code})` : ""}.`;
        return { ok: false, message: explain(run, evidence, 'Answer each one with node.reply(msg, {type: "echo_ok", echo: msg.body.echo}).', { ops: unanswered }) };
      }
      return { ok: true, message: `${ops.length} echoes answered correctly`, metrics: { ops: ops.length } };
    },
  },
};
