// A Step Functions endpoint for the local stack: it speaks the AWS JSON 1.0
// protocol that the Go SDK's sfn client uses (StartExecution, DescribeExecution,
// StopExecution) and runs each execution of statemachine/export.asl.json with
// aws-local-stepfunctions. Task states invoke Lambda through AWS_ENDPOINT_URL_LAMBDA.
//
// usage: node sfn-server.js --port P --definition FILE --arn ARN --substitutions JSON
'use strict';

// aws-local-stepfunctions 3 targets Node 22; Node 20 lacks Promise.withResolvers.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const http = require('http');
const fs = require('fs');
const crypto = require('crypto');
const { StateMachine } = require('aws-local-stepfunctions');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const port = Number(arg('port', '0'));
const stateMachineArn = arg('arn');
const substitutions = JSON.parse(arg('substitutions', '{}'));
let source = fs.readFileSync(arg('definition'), 'utf8');
for (const [name, value] of Object.entries(substitutions)) {
  source = source.split('${' + name + '}').join(value);
}
const machine = new StateMachine(JSON.parse(source), {
  awsConfig: {
    region: process.env.AWS_REGION || 'us-east-1',
    credentials: { accessKeys: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY } },
  },
});

const executions = new Map();
const now = () => Date.now() / 1000;

function startExecution(req) {
  const name = req.name || crypto.randomUUID();
  const executionArn = stateMachineArn.replace(':stateMachine:', ':execution:') + ':' + name;
  if (executions.has(executionArn)) {
    const existing = executions.get(executionArn);
    if (existing.input === (req.input || '{}')) return { executionArn, startDate: existing.startDate };
    throw { status: 400, type: 'ExecutionAlreadyExists', message: 'Execution already exists: ' + executionArn };
  }
  const input = req.input || '{}';
  const exec = { executionArn, stateMachineArn, name, status: 'RUNNING', startDate: now(), input };
  const { abort, result } = machine.run(JSON.parse(input), {
    noThrowOnAbort: true,
    context: { Execution: { Id: executionArn, Name: name, StartTime: new Date().toISOString(), Input: JSON.parse(input) } },
  });
  exec.abort = abort;
  result.then((output) => {
    if (exec.status !== 'RUNNING') return;
    exec.status = 'SUCCEEDED';
    exec.output = JSON.stringify(output);
    exec.stopDate = now();
  }, (err) => {
    if (exec.status !== 'RUNNING') return;
    exec.status = err && err.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
    const cause = err && err.cause ? err.cause : err;
    exec.error = (cause && (cause.name || cause.errorType)) || 'States.Runtime';
    exec.cause = (cause && (cause.cause || cause.message)) || String(err);
    exec.stopDate = now();
  });
  executions.set(executionArn, exec);
  return { executionArn, startDate: exec.startDate };
}

function describeExecution(req) {
  const exec = executions.get(req.executionArn);
  if (!exec) throw { status: 400, type: 'ExecutionDoesNotExist', message: 'Execution does not exist: ' + req.executionArn };
  const { abort, ...visible } = exec;
  return visible;
}

function stopExecution(req) {
  const exec = executions.get(req.executionArn);
  if (!exec) throw { status: 400, type: 'ExecutionDoesNotExist', message: 'Execution does not exist: ' + req.executionArn };
  if (exec.status === 'RUNNING') {
    exec.status = 'ABORTED';
    exec.error = req.error;
    exec.cause = req.cause;
    exec.stopDate = now();
    exec.abort();
  }
  return { stopDate: exec.stopDate };
}

const actions = {
  'AWSStepFunctions.StartExecution': startExecution,
  'AWSStepFunctions.DescribeExecution': describeExecution,
  'AWSStepFunctions.StopExecution': stopExecution,
};

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', () => {
    const reply = (status, body) => {
      response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && request.url === '/healthz') return reply(200, { ok: true });
    const action = actions[request.headers['x-amz-target']];
    if (!action) return reply(400, { __type: 'UnknownOperationException', message: 'unsupported: ' + request.headers['x-amz-target'] });
    try {
      reply(200, action(JSON.parse(Buffer.concat(chunks).toString() || '{}')));
    } catch (e) {
      if (e && e.type) return reply(e.status, { __type: e.type, message: e.message });
      reply(500, { __type: 'InternalFailure', message: String(e) });
    }
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log('sfn-server listening on http://127.0.0.1:' + server.address().port);
});
