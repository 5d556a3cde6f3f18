// Package e2e holds the end-to-end tests: the whole service on the local
// stack (SeaweedFS, dynalite, moto KMS, aws-local-stepfunctions running
// statemachine/export.asl.json, the Go handlers behind the local Lambda
// endpoint), driven through the HTTP API as users drive it.
package e2e
