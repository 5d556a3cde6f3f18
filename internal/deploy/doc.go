// Package deploy holds only tests. They tie the deployment together:
// template.yaml (the AWS SAM template), statemachine/export.asl.json (the
// workflow), the Lambda functions under functions/, the DynamoDB table the
// store expects, the environment the code reads and the sample events under
// events/. Nothing here is imported by the service.
package deploy
