'use strict'
// Runs dynalite as the child of one JVM (videopipe.localstack.dynamodb.DynamoEmulator), and ends
// with it. The JVM holds our stdin: when it closes it (close()) or dies in any way, even killed
// with SIGKILL where no shutdown hook runs, the pipe reaches end-of-file and we stop. A child
// that only waits for a signal outlives a killed parent.
//
// Usage: node dynalite-child.js <node_modules dir> <port, 0 for any> [<data dir>]
// Prints one line, {"port":N}, once listening on 127.0.0.1.

const path = require('path')

const [nodeModules, port, dataDir] = process.argv.slice(2)
// By absolute path: this file is extracted from the jar, away from node_modules.
const dynalite = require(path.join(nodeModules, 'dynalite'))

const server = dynalite({
  path: dataDir || undefined,
  // dynalite keeps new tables CREATING for 500 ms by default, to look like AWS. Callers wait for
  // ACTIVE either way (the SDK waiter), so the delay only slows every test that makes a table.
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
})

server.on('error', (err) => {
  console.error(err && err.stack ? err.stack : String(err))
  process.exit(1)
})

server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n')
})

let stopping = false
function stop () {
  if (stopping) return
  stopping = true
  // server.close also closes LevelDB, so an on-disk store is consistent for the next start.
  server.close(() => process.exit(0))
  // Never hang: idle keep-alive connections are closed by close(), busy ones get this long.
  setTimeout(() => process.exit(0), 5000).unref()
}

process.stdin.on('end', stop)
process.stdin.on('error', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
