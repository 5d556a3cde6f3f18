// Package local runs the local stand-ins for AWS on loopback: SeaweedFS for
// S3, dynalite for DynamoDB, moto for KMS, aws-local-stepfunctions for Step
// Functions (running statemachine/export.asl.json), and an in-process Lambda
// Invoke endpoint for the Go handlers. Every child runs in its own process
// group and dies with its parent, so nothing is left behind.
package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Config says where things are.
type Config struct {
	Root    string // repository root (statemachine/, internal/local/node/)
	DataDir string // state kept between runs: S3 data, DynamoDB files
	WeedBin string // SeaweedFS binary
	Log     string // file receiving the children's output; see LogFile
}

// LogFile is where Start writes the stand-ins' output.
func (c Config) LogFile() string {
	if c.Log != "" {
		return c.Log
	}
	return filepath.Join(c.DataDir, "stack.log")
}

// Credentials of the local stack; they protect nothing and are not secret.
const (
	AccessKey = "local-access-key"
	SecretKey = "local-secret-key"
	Region    = "us-east-1"
	Account   = "000000000000"
)

// Names of the resources the stack creates.
const (
	Table         = "eventexport"
	LakeBucket    = "eventexport-lake"
	StagingBucket = "eventexport-staging"
	ExportBucket  = "eventexport-exports"
	StateMachine  = "arn:aws:states:" + Region + ":" + Account + ":stateMachine:export"
)

// Functions are the workflow's Lambda functions, by the names the ASL uses.
var Functions = []string{"plan", "encode", "finalize", "cleanup"}

// FunctionARN is a local function's ARN.
func FunctionARN(name string) string {
	return "arn:aws:lambda:" + Region + ":" + Account + ":function:" + name
}

// Stack is a running local stack.
type Stack struct {
	S3, DynamoDB, KMS, SFN string // endpoint URLs
	lambda                 net.Listener
	procs                  []*exec.Cmd
	waited                 []chan struct{} // closed when the matching proc has exited
	exited                 chan string     // names the first child that exited
	logFile                *os.File
}

// Env is the environment under which the AWS SDK reaches the stack.
func (s *Stack) Env() map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID":         AccessKey,
		"AWS_SECRET_ACCESS_KEY":     SecretKey,
		"AWS_REGION":                Region,
		"AWS_ENDPOINT_URL_S3":       s.S3,
		"AWS_ENDPOINT_URL_DYNAMODB": s.DynamoDB,
		"AWS_ENDPOINT_URL_KMS":      s.KMS,
		"AWS_ENDPOINT_URL_SFN":      s.SFN,
		"AWS_EC2_METADATA_DISABLED": "true",
		"S3_FORCE_PATH_STYLE":       "true",
		"TABLE_NAME":                Table,
		"LAKE_BUCKET":               LakeBucket,
		"STAGING_BUCKET":            StagingBucket,
		"EXPORT_BUCKET":             ExportBucket,
		"STATE_MACHINE_ARN":         StateMachine,
		"KMS_KEY_ID":                "alias/eventexport",
	}
}

// LambdaListener is where the Lambda Invoke endpoint must be served.
func (s *Stack) LambdaListener() net.Listener { return s.lambda }

// choosePorts reuses the ports of the previous run when they are free:
// SeaweedFS keeps its cluster's addresses in its data, and a master on a new
// port refuses the volumes of the old one. When they are taken, the S3 data
// is started afresh.
func choosePorts(dataDir string) (map[string]int, error) {
	names := []string{"master", "volume", "filer", "s3", "dynamodb", "kms", "sfn"}
	file := filepath.Join(dataDir, "ports.json")
	var ports map[string]int
	if b, err := os.ReadFile(file); err == nil && json.Unmarshal(b, &ports) == nil && len(ports) == len(names) {
		free := true
		for _, p := range ports {
			free = free && portPairFree(p)
		}
		if free {
			return ports, nil
		}
	}
	if err := os.RemoveAll(filepath.Join(dataDir, "s3")); err != nil {
		return nil, err
	}
	ports = map[string]int{}
	for _, name := range names {
		p, err := freePort(ports)
		if err != nil {
			return nil, err
		}
		ports[name] = p
	}
	b, _ := json.Marshal(ports)
	return ports, os.WriteFile(file, b, 0o600)
}

func portPairFree(p int) bool {
	if p+10000 > 65535 {
		return false
	}
	for _, q := range []int{p, p + 10000} {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(q))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}

// freePort finds a loopback port p such that p+10000 is free too: SeaweedFS
// puts each service's gRPC port there.
func freePort(taken map[string]int) (int, error) {
	used := map[int]bool{}
	for _, p := range taken {
		used[p], used[p+10000] = true, true
	}
	for i := 0; i < 100; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !used[p] && !used[p+10000] && portPairFree(p) {
			return p, nil
		}
	}
	return 0, errors.New("no free loopback port pair")
}

func loopbackURL(port int) string { return "http://127.0.0.1:" + strconv.Itoa(port) }

// Start starts every stand-in, waits until each answers and creates the
// buckets, the table and the KMS key.
func Start(ctx context.Context, cfg Config) (*Stack, error) {
	return retryStart(func() (*Stack, error) { return start(ctx, cfg) })
}

func start(ctx context.Context, cfg Config) (*Stack, error) {
	s := &Stack{}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	var err error
	if s.logFile, err = os.OpenFile(cfg.LogFile(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err != nil {
		return nil, err
	}
	if err := s.start(ctx, cfg); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w (the stand-ins' output is in %s)", err, cfg.LogFile())
	}
	return s, nil
}

func (s *Stack) start(ctx context.Context, cfg Config) error {
	ports, err := choosePorts(cfg.DataDir)
	if err != nil {
		return err
	}
	if s.lambda, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return err
	}
	s.S3, s.DynamoDB, s.KMS, s.SFN = loopbackURL(ports["s3"]), loopbackURL(ports["dynamodb"]), loopbackURL(ports["kms"]), loopbackURL(ports["sfn"])

	if err := s.startWeed(cfg, filepath.Join(cfg.DataDir, "s3"), ports, AccessKey, SecretKey); err != nil {
		return err
	}

	node := filepath.Join(cfg.Root, "internal", "local", "node")
	ddbDir := filepath.Join(cfg.DataDir, "dynamodb")
	if err := s.spawn("node", []string{filepath.Join(node, "node_modules", "dynalite", "cli.js"),
		"--host", "127.0.0.1", "--port", strconv.Itoa(ports["dynamodb"]), "--path", ddbDir, "--createTableMs", "0"}, nil); err != nil {
		return err
	}
	if err := s.spawn("moto_server", []string{"-H", "127.0.0.1", "-p", strconv.Itoa(ports["kms"])}, nil); err != nil {
		return err
	}
	subs := map[string]string{}
	for _, f := range Functions {
		subs[titleCase(f)+"FunctionArn"] = FunctionARN(f)
	}
	subsJSON, _ := json.Marshal(subs)
	lambdaURL := "http://" + s.lambda.Addr().String()
	if err := s.spawn("node", []string{filepath.Join(node, "sfn-server.js"), "--port", strconv.Itoa(ports["sfn"]),
		"--definition", filepath.Join(cfg.Root, "statemachine", "export.asl.json"), "--arn", StateMachine,
		"--substitutions", string(subsJSON)},
		[]string{"AWS_ENDPOINT_URL_LAMBDA=" + lambdaURL, "AWS_ACCESS_KEY_ID=" + AccessKey, "AWS_SECRET_ACCESS_KEY=" + SecretKey, "AWS_REGION=" + Region}); err != nil {
		return err
	}

	deadline := time.Now().Add(90 * time.Second)
	for name, u := range map[string]string{"s3": s.S3 + "/healthz", "dynamodb": s.DynamoDB, "kms": s.KMS, "sfn": s.SFN + "/healthz"} {
		if err := s.waitReady(ctx, u, deadline); err != nil {
			return fmt.Errorf("%s did not start: %w", name, err)
		}
	}
	return s.provision(ctx)
}

// startWeed starts SeaweedFS's master, volume, filer and S3 servers in one
// process, with one identity.
func (s *Stack) startWeed(cfg Config, dir string, ports map[string]int, access, secret string) error {
	if cfg.WeedBin == "" {
		return errors.New("no SeaweedFS binary: run scripts/install-weed.sh (make does) and set WEED_BIN")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	identities := filepath.Clean(dir) + "-identities.json" // beside the data, not in it
	if err := writeIdentities(identities, access, secret); err != nil {
		return err
	}
	return s.spawn(cfg.WeedBin, []string{"server", "-s3", "-filer", "-dir=" + dir,
		"-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port=" + strconv.Itoa(ports["master"]), "-volume.port=" + strconv.Itoa(ports["volume"]),
		"-filer.port=" + strconv.Itoa(ports["filer"]), "-s3.port=" + strconv.Itoa(ports["s3"]),
		"-master.telemetry=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
		// Every bucket is a collection with volumes of its own: allow plenty, small.
		"-master.volumeSizeLimitMB=512", "-volume.max=300",
		"-s3.config=" + identities, "-s3.encryptVolumeData"}, nil)
}

// StartS3 starts a SeaweedFS alone with the given credentials: tests use it
// for platform storage and as a customer's own S3-compatible provider.
func StartS3(ctx context.Context, cfg Config, access, secret string) (*Stack, error) {
	return startAlone(ctx, cfg, func(s *Stack) (string, error) {
		ports := map[string]int{}
		for _, name := range []string{"master", "volume", "filer", "s3"} {
			p, err := freePort(ports)
			if err != nil {
				return "", err
			}
			ports[name] = p
		}
		s.S3 = loopbackURL(ports["s3"])
		dir, err := os.MkdirTemp(cfg.DataDir, "s3-")
		if err != nil {
			return "", err
		}
		return s.S3 + "/healthz", s.startWeed(cfg, dir, ports, access, secret)
	})
}

// startAlone starts one stand-in with start and waits until ready answers.
func startAlone(ctx context.Context, cfg Config, start func(s *Stack) (ready string, err error)) (*Stack, error) {
	return retryStart(func() (*Stack, error) { return startOne(ctx, cfg, start) })
}

func startOne(ctx context.Context, cfg Config, start func(s *Stack) (ready string, err error)) (*Stack, error) {
	s := &Stack{}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	var err error
	if s.logFile, err = os.CreateTemp(cfg.DataDir, "stand-in-*.log"); err != nil {
		return nil, err
	}
	ready, err := start(s)
	if err == nil {
		err = s.waitReady(ctx, ready, time.Now().Add(60*time.Second))
	}
	if err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w (output in %s)", err, s.logFile.Name())
	}
	return s, nil
}

func titleCase(s string) string { return string(s[0]-'a'+'A') + s[1:] }

func writeIdentities(path, access, secret string) error {
	doc := map[string]any{"identities": []any{map[string]any{
		"name":        "local",
		"credentials": []any{map[string]string{"accessKey": access, "secretKey": secret}},
		"actions":     []string{"Admin", "Read", "Write", "List", "Tagging"},
	}}}
	b, _ := json.Marshal(doc)
	return os.WriteFile(path, b, 0o600)
}

func (s *Stack) spawn(bin string, args, env []string) error {
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = s.logFile, s.logFile
	cmd.Env = append(os.Environ(), env...)
	// Own process group, killed with us even if we die without cleaning up.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", bin, err)
	}
	if s.exited == nil {
		s.exited = make(chan string, 16)
	}
	done := make(chan struct{})
	s.procs, s.waited = append(s.procs, cmd), append(s.waited, done)
	go func() {
		_ = cmd.Wait()
		close(done)
		select {
		case s.exited <- filepath.Base(bin):
		default:
		}
	}()
	return nil
}

// errExited means a stand-in died while starting, most often because a
// test in another package took one of its ports first.
type errExited struct{ name string }

func (e errExited) Error() string { return e.name + " exited while starting" }

// retryStart starts a stack up to three times when a child exits early.
func retryStart(start func() (*Stack, error)) (*Stack, error) {
	for attempt := 1; ; attempt++ {
		s, err := start()
		var exited errExited
		if err == nil || !errors.As(err, &exited) || attempt == 3 {
			return s, err
		}
	}
}

// waitReady polls u until it answers, a child exits, or the deadline passes.
func (s *Stack) waitReady(ctx context.Context, u string, deadline time.Time) error {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
			err = fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case name := <-s.exited:
			return errExited{name}
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Stop ends every child process group and waits for them.
func (s *Stack) Stop() {
	for _, p := range s.procs {
		_ = syscall.Kill(-p.Process.Pid, syscall.SIGTERM)
	}
	done := make(chan struct{})
	go func() {
		for _, w := range s.waited {
			<-w
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		for _, p := range s.procs {
			_ = syscall.Kill(-p.Process.Pid, syscall.SIGKILL)
		}
		<-done
	}
	if s.lambda != nil {
		s.lambda.Close()
	}
	if s.logFile != nil {
		s.logFile.Close()
	}
}

// StartDynamoDB starts dynalite alone, for tests of the store against the
// real protocol.
func StartDynamoDB(ctx context.Context, cfg Config) (*Stack, error) {
	return startAlone(ctx, cfg, func(s *Stack) (string, error) {
		port, err := freePort(nil)
		if err != nil {
			return "", err
		}
		s.DynamoDB = loopbackURL(port)
		node := filepath.Join(cfg.Root, "internal", "local", "node")
		return s.DynamoDB, s.spawn("node", []string{filepath.Join(node, "node_modules", "dynalite", "cli.js"),
			"--host", "127.0.0.1", "--port", strconv.Itoa(port), "--createTableMs", "0"}, nil)
	})
}
