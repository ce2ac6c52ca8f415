'use strict'
// Runs dynalite as the child of one JVM (videopipe.localstack.dynamodb.DynamoEmulator), and ends
// with it. The JVM holds our stdin: when it closes it (close()) or dies in any way, even killed
// with SIGKILL where no shutdown hook runs, the pipe reaches end-of-file and we stop. A child
// that only waits for a signal outlives a killed parent.
//
// Usage: node dynalite-child.js <node_modules dir> <port, 0 for any> [<data dir>]
// Prints one line, {"port":N}, once listening on 127.0.0.1 and answering ListTables.

const http = require('http')
const path = require('path')

const [nodeModules, port, dataDir] = process.argv.slice(2)
// By absolute path: this file is extracted from the jar, away from node_modules.
const dynalite = require(path.join(nodeModules, 'dynalite'))

let running = null
let stopping = false
function stop () {
  if (stopping) return
  stopping = true
  if (!running) process.exit(0)
  // server.close also closes LevelDB, so an on-disk store is consistent for the next start.
  running.close(() => process.exit(0))
  // Never hang: idle keep-alive connections are closed by close(), busy ones get this long.
  setTimeout(() => process.exit(0), 5000).unref()
}
process.stdin.on('end', stop)
process.stdin.on('error', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)

// dynalite opens LevelDB in the background and listens regardless; when that open fails (the
// store is locked by another dynalite, say) it crashes on the first request with an unrelated
// "not open" error. So an on-disk store is opened (and closed) once first, to fail with the cause.
if (dataDir) {
  const levelPath = require.resolve('level', { paths: [path.join(nodeModules, 'dynalite')] })
  const { Level } = require(levelPath)
  const probe = new Level(dataDir)
  probe.open()
    .then(() => probe.close())
    .then(start, (err) => {
      const cause = err && err.cause ? err.cause.message : String(err && err.message)
      console.error('dynalite cannot open its LevelDB store in ' + dataDir + ': ' + cause +
        ' (is another dynalite, another local stack, using that directory?)')
      process.exit(1)
    })
} else {
  start()
}

function start () {
  if (stopping) return
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
    const actualPort = server.address().port
    // Announce only once a real request is served: the caller must never get a store that fails.
    listTables(actualPort, (err) => {
      if (err) {
        console.error('dynalite does not answer ListTables: ' + err.message)
        process.exit(1)
      }
      process.stdout.write(JSON.stringify({ port: actualPort }) + '\n')
    })
  })

  running = server
}

function listTables (port, callback) {
  // dynalite checks that a request is signed, not the signature.
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    agent: false, // one-off: no keep-alive socket left open
    path: '/',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.ListTables',
      'X-Amz-Date': date,
      Authorization: 'AWS4-HMAC-SHA256 Credential=local/' + date.slice(0, 8) +
        '/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0',
    },
  }, (res) => {
    res.resume()
    res.on('end', () => callback(res.statusCode === 200 ? null : new Error('HTTP ' + res.statusCode)))
  })
  req.on('error', callback)
  req.end('{}')
}
