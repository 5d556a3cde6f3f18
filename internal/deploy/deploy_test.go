package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"gopkg.in/yaml.v3"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/steps"
	"github.com/secops/eventexport/internal/store"
)

// functionNames are the service's Lambda functions, one per functions/<name>.
var functionNames = []string{"api", "plan", "encode", "finalize", "cleanup", "sweep", "schedule"}

// envVars are the variables the code reads (internal/app, internal/export/limits.go).
var envVars = []string{
	"TABLE_NAME", "LAKE_BUCKET", "STAGING_BUCKET", "EXPORT_BUCKET", "KMS_KEY_ID",
	"STATE_MACHINE_ARN", "EXPORT_CUSTOM_FIELDS", "PLATFORM_S3_HOSTS",
	"EXPORT_MONTHLY_BYTES", "EXPORT_EVENTS_PER_EXPORT", "EXPORT_CHUNK_EVENTS",
	"EXPORT_EXPORTS_PER_JOB", "EXPORT_MAX_CHUNKS",
	"EXPORT_LEASE_TTL", "EXPORT_RETENTION", "EXPORT_URL_TTL",
}

// apiOnlyEnv are set only on the functions that start executions (the API
// and the schedule function): STATE_MACHINE_ARN in Globals would make the
// workflow's functions depend on the state machine that depends on them.
var apiOnlyEnv = []string{"STATE_MACHINE_ARN"}

// startersOf are the functions that start executions.
var starters = []string{"ApiFunction", "ScheduleFunction"}

// taskInputs are the input types of the functions the ASL's Task states
// call, by substitution name.
var taskInputs = map[string]any{
	"PlanFunctionArn":     steps.ExportRef{},
	"EncodeFunctionArn":   steps.EncodeInput{},
	"FinalizeFunctionArn": steps.ExportRef{},
	"CleanupFunctionArn":  steps.CleanupInput{},
}

const (
	templateFile = "template.yaml"
	aslFile      = "statemachine/export.asl.json"
	aslValidator = "internal/local/node/node_modules/asl-validator/dist/bin/asl-validator.js"
)

var exportID = regexp.MustCompile(`^exp_[0-9a-hjkmnp-tv-z]{26}$`)

// ---------------------------------------------------------------- loading

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
)

// root is the repository root: the nearest directory above the test's
// working directory that holds go.mod.
func root(t *testing.T) string {
	t.Helper()
	rootOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			rootErr = err
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				rootDir = dir
				return
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				rootErr = fmt.Errorf("no go.mod above the working directory")
				return
			}
			dir = parent
		}
	})
	if rootErr != nil {
		t.Fatal(rootErr)
	}
	return rootDir
}

func readFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// toValue turns a YAML node into plain Go values. CloudFormation's short
// forms (!Ref x, !GetAtt a.b, !Sub s, ...) become their long forms
// ({"Ref": x}, {"Fn::GetAtt": "a.b"}, ...), whatever the tag.
func toValue(n *yaml.Node) (any, error) {
	if tag := n.Tag; strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		plain := *n
		plain.Tag = ""
		if plain.Kind == yaml.ScalarNode && plain.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			plain.Style = 0
		}
		v, err := toValue(&plain)
		if err != nil {
			return nil, err
		}
		key := "Fn::" + tag[1:]
		if tag == "!Ref" || tag == "!Condition" {
			key = tag[1:]
		}
		return map[string]any{key: v}, nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return toValue(n.Content[0])
	case yaml.AliasNode:
		return toValue(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			var k string
			if err := n.Content[i].Decode(&k); err != nil {
				return nil, err
			}
			v, err := toValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := toValue(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	default:
		var v any
		err := n.Decode(&v)
		return v, err
	}
}

type template map[string]any

func loadTemplate(t *testing.T) template {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(readFile(t, templateFile), &doc); err != nil {
		t.Fatalf("%s: %v", templateFile, err)
	}
	v, err := toValue(&doc)
	if err != nil {
		t.Fatalf("%s: %v", templateFile, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is not a mapping", templateFile)
	}
	return m
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

// resources returns the template's resources of one type.
func (tp template) resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for name, r := range mapOf(tp["Resources"]) {
		if rm := mapOf(r); str(rm["Type"]) == typ {
			out[name] = rm
		}
	}
	return out
}

func (tp template) resource(t *testing.T, name, typ string) map[string]any {
	t.Helper()
	r := mapOf(mapOf(tp["Resources"])[name])
	if r == nil {
		t.Fatalf("template has no resource %s", name)
	}
	if got := str(r["Type"]); got != typ {
		t.Fatalf("resource %s is %s, want %s", name, got, typ)
	}
	return mapOf(r["Properties"])
}

func (tp template) globalEnv() map[string]any {
	return mapOf(mapOf(mapOf(mapOf(mapOf(tp["Globals"])["Function"])["Environment"])["Variables"]))
}

// getAttTarget is the logical id of {"Fn::GetAtt": "X.Arn"} or {"Fn::GetAtt": ["X", "Arn"]}.
func getAttTarget(v any) (id, attr string, ok bool) {
	g, found := mapOf(v)["Fn::GetAtt"]
	if !found {
		return "", "", false
	}
	switch x := g.(type) {
	case string:
		id, attr, ok = strings.Cut(x, ".")
		return id, attr, ok
	case []any:
		if len(x) == 2 {
			return str(x[0]), str(x[1]), true
		}
	}
	return "", "", false
}

func refTarget(v any) (string, bool) {
	r, ok := mapOf(v)["Ref"]
	return str(r), ok
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

type asl map[string]any

func loadASL(t *testing.T) (asl, string) {
	t.Helper()
	raw := readFile(t, aslFile)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", aslFile, err)
	}
	return m, string(raw)
}

// walkStates visits every state, nested ones too. selector is the
// ItemSelector of the Map whose processor starts at the state, if any.
func walkStates(m map[string]any, visit func(name string, st, selector map[string]any)) {
	start := str(m["StartAt"])
	walk(m, start, nil, visit)
}

func walk(m map[string]any, start string, selector map[string]any, visit func(string, map[string]any, map[string]any)) {
	for name, s := range mapOf(m["States"]) {
		st := mapOf(s)
		var sel map[string]any
		if name == start {
			sel = selector
		}
		visit(name, st, sel)
		switch str(st["Type"]) {
		case "Map":
			proc := mapOf(st["ItemProcessor"])
			if proc == nil {
				proc = mapOf(st["Iterator"])
			}
			items := mapOf(st["ItemSelector"])
			if items == nil {
				items = mapOf(st["Parameters"])
			}
			walk(proc, str(proc["StartAt"]), items, visit)
		case "Parallel":
			for _, b := range listOf(st["Branches"]) {
				bm := mapOf(b)
				walk(bm, str(bm["StartAt"]), nil, visit)
			}
		}
	}
}

// jsonFields are the JSON member names of a struct type.
func jsonFields(v any) []string {
	typ := reflect.TypeOf(v)
	var out []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// ------------------------------------------------------------------ tests

func TestFunctionsMatchTemplate(t *testing.T) {
	tp := loadTemplate(t)
	globals := mapOf(mapOf(tp["Globals"])["Function"])
	if got := str(globals["Handler"]); got != "bootstrap" {
		t.Errorf("Globals Function Handler = %q, want bootstrap", got)
	}
	if got := str(globals["Runtime"]); got != "provided.al2023" {
		t.Errorf("Globals Function Runtime = %q, want provided.al2023", got)
	}

	inTemplate := map[string]string{} // functions/<dir> -> logical id
	for id, r := range tp.resources("AWS::Serverless::Function") {
		uri := str(mapOf(r["Properties"])["CodeUri"])
		if uri == "" {
			t.Errorf("%s has no CodeUri", id)
			continue
		}
		dir := path.Clean(uri)
		if !strings.HasPrefix(dir, "functions/") || strings.Count(dir, "/") != 1 {
			t.Errorf("%s: CodeUri %q is not functions/<name>/", id, uri)
			continue
		}
		if other, dup := inTemplate[dir]; dup {
			t.Errorf("%s and %s share CodeUri %s", id, other, uri)
		}
		inTemplate[dir] = id
		switch bm := str(mapOf(r["Metadata"])["BuildMethod"]); bm {
		case "go1.x", "makefile":
		default:
			t.Errorf("%s: Metadata BuildMethod %q, want go1.x or makefile", id, bm)
		}
	}

	entries, err := os.ReadDir(filepath.Join(root(t), "functions"))
	if err != nil {
		t.Fatalf("functions/: %v", err)
	}
	onDisk := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := "functions/" + e.Name()
		onDisk[dir] = true
		if _, err := os.Stat(filepath.Join(root(t), dir, "main.go")); err != nil {
			t.Errorf("%s has no main.go", dir)
		}
		if _, ok := inTemplate[dir]; !ok {
			t.Errorf("%s has no function in %s (no CodeUri: %s/)", dir, templateFile, dir)
		}
	}
	for _, dir := range sortedKeys(inTemplate) {
		if !onDisk[dir] {
			t.Errorf("%s: CodeUri %s/ does not exist", inTemplate[dir], dir)
		}
	}
	for _, name := range functionNames {
		if _, ok := inTemplate["functions/"+name]; !ok {
			t.Errorf("function %q is missing from %s", name, templateFile)
		}
	}
	if len(inTemplate) != len(functionNames) {
		t.Errorf("template declares %d functions %v, want %v", len(inTemplate), sortedKeys(inTemplate), functionNames)
	}
}

func TestStateMachineSubstitutions(t *testing.T) {
	tp := loadTemplate(t)
	machines := tp.resources("AWS::Serverless::StateMachine")
	if len(machines) != 1 {
		t.Fatalf("want one AWS::Serverless::StateMachine, found %v", sortedKeys(machines))
	}
	var sm map[string]any
	for _, r := range machines {
		sm = mapOf(r["Properties"])
	}
	if got := path.Clean(str(sm["DefinitionUri"])); got != aslFile {
		t.Errorf("DefinitionUri = %q, want %s", got, aslFile)
	}
	subs := mapOf(sm["DefinitionSubstitutions"])
	functions := tp.resources("AWS::Serverless::Function")

	def, raw := loadASL(t)
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{([^}]+)\}`).FindAllStringSubmatch(raw, -1) {
		used[m[1]] = true
	}
	for _, name := range sortedKeys(used) {
		if _, ok := subs[name]; !ok {
			t.Errorf("%s uses ${%s}, which DefinitionSubstitutions lacks", aslFile, name)
		}
	}
	for _, name := range sortedKeys(subs) {
		if !used[name] {
			t.Errorf("DefinitionSubstitutions has %s, which %s never uses", name, aslFile)
		}
		id, attr, ok := getAttTarget(subs[name])
		if !ok || attr != "Arn" {
			t.Errorf("DefinitionSubstitutions %s = %v, want !GetAtt <Function>.Arn", name, subs[name])
			continue
		}
		if _, ok := functions[id]; !ok {
			t.Errorf("DefinitionSubstitutions %s names %s, not a function of the template", name, id)
		}
		if want := strings.TrimSuffix(name, "Arn"); id != want {
			t.Errorf("DefinitionSubstitutions %s names %s, want %s", name, id, want)
		}
	}

	// Task states call only those functions, with the input their handlers take.
	resources := map[string]bool{}
	walkStates(def, func(state string, st, selector map[string]any) {
		if str(st["Type"]) != "Task" {
			return
		}
		res := str(st["Resource"])
		m := regexp.MustCompile(`^\$\{([^}]+)\}$`).FindStringSubmatch(res)
		if m == nil {
			t.Errorf("Task %s: Resource %q is not one ${Substitution}", state, res)
			return
		}
		if _, ok := subs[m[1]]; !ok {
			t.Errorf("Task %s: Resource %s is not in DefinitionSubstitutions", state, res)
		}
		resources[m[1]] = true
		input, known := taskInputs[m[1]]
		if !known {
			t.Errorf("Task %s calls %s; add its input type to taskInputs", state, m[1])
			return
		}
		params := mapOf(st["Parameters"])
		if params == nil {
			params = selector
		}
		if params == nil {
			t.Errorf("Task %s: neither Parameters nor a Map ItemSelector shapes its input", state)
			return
		}
		var got []string
		for k := range params {
			got = append(got, strings.TrimSuffix(k, ".$"))
		}
		sort.Strings(got)
		if want := jsonFields(input); !slices.Equal(got, want) {
			t.Errorf("Task %s passes %v to %s, whose input %T has %v", state, got, m[1], input, want)
		}
	})
	for _, name := range sortedKeys(subs) {
		if !resources[name] {
			t.Errorf("no Task state has Resource ${%s}", name)
		}
	}
}

func TestEncodeConcurrencyMatchesASL(t *testing.T) {
	tp := loadTemplate(t)
	def, _ := loadASL(t)
	param := mapOf(mapOf(tp["Parameters"])["EncodeConcurrency"])
	if param == nil {
		t.Fatal("template has no EncodeConcurrency parameter")
	}
	var maps []string
	walkStates(def, func(state string, st, _ map[string]any) {
		if str(st["Type"]) == "Map" {
			maps = append(maps, state)
			if got, want := str(st["MaxConcurrency"]), str(param["Default"]); got != want {
				t.Errorf("Map %s has MaxConcurrency %s but the EncodeConcurrency parameter defaults to %s", state, got, want)
			}
		}
	})
	if len(maps) == 0 {
		t.Errorf("%s has no Map state", aslFile)
	}
}

func TestTableMatchesStore(t *testing.T) {
	tp := loadTemplate(t)
	tables := tp.resources("AWS::DynamoDB::Table")
	if len(tables) != 1 {
		t.Fatalf("want one AWS::DynamoDB::Table, found %v", sortedKeys(tables))
	}
	var props map[string]any
	for _, r := range tables {
		props = mapOf(r["Properties"])
	}
	want := store.TableSchema("x")
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}

	if got := str(props["BillingMode"]); got != string(want.BillingMode) {
		t.Errorf("BillingMode = %q, want %q", got, want.BillingMode)
	}

	var gotAttrs, wantAttrs []string
	for _, a := range listOf(props["AttributeDefinitions"]) {
		gotAttrs = append(gotAttrs, str(mapOf(a)["AttributeName"])+":"+str(mapOf(a)["AttributeType"]))
	}
	for _, a := range want.AttributeDefinitions {
		wantAttrs = append(wantAttrs, deref(a.AttributeName)+":"+string(a.AttributeType))
	}
	sort.Strings(gotAttrs)
	sort.Strings(wantAttrs)
	if !slices.Equal(gotAttrs, wantAttrs) {
		t.Errorf("AttributeDefinitions = %v, want %v", gotAttrs, wantAttrs)
	}

	keys := func(v any) []string {
		var out []string
		for _, k := range listOf(v) {
			out = append(out, str(mapOf(k)["AttributeName"])+":"+str(mapOf(k)["KeyType"]))
		}
		return out
	}
	var wantKeys []string
	for _, k := range want.KeySchema {
		wantKeys = append(wantKeys, deref(k.AttributeName)+":"+string(k.KeyType))
	}
	if got := keys(props["KeySchema"]); !slices.Equal(got, wantKeys) {
		t.Errorf("KeySchema = %v, want %v", got, wantKeys)
	}

	type index struct {
		Keys       string
		Projection string
	}
	gotIdx := map[string]index{}
	for _, g := range listOf(props["GlobalSecondaryIndexes"]) {
		gm := mapOf(g)
		gotIdx[str(gm["IndexName"])] = index{strings.Join(keys(gm["KeySchema"]), ","), str(mapOf(gm["Projection"])["ProjectionType"])}
	}
	wantIdx := map[string]index{}
	for _, g := range want.GlobalSecondaryIndexes {
		var ks []string
		for _, k := range g.KeySchema {
			ks = append(ks, deref(k.AttributeName)+":"+string(k.KeyType))
		}
		var proj string
		if g.Projection != nil {
			proj = string(g.Projection.ProjectionType)
		}
		wantIdx[deref(g.IndexName)] = index{strings.Join(ks, ","), proj}
	}
	if !reflect.DeepEqual(gotIdx, wantIdx) {
		t.Errorf("GlobalSecondaryIndexes = %+v, want %+v", gotIdx, wantIdx)
	}
	if len(listOf(props["LocalSecondaryIndexes"])) != len(want.LocalSecondaryIndexes) {
		t.Errorf("LocalSecondaryIndexes differ from store.TableSchema")
	}

	ttl := mapOf(props["TimeToLiveSpecification"])
	if str(ttl["AttributeName"]) != "ttl" || ttl["Enabled"] != true {
		t.Errorf("TimeToLiveSpecification = %v, want ttl enabled", ttl)
	}
	if mapOf(props["PointInTimeRecoverySpecification"])["PointInTimeRecoveryEnabled"] != true {
		t.Errorf("point-in-time recovery is not enabled")
	}
	if mapOf(props["SSESpecification"])["SSEEnabled"] != true {
		t.Errorf("SSESpecification SSEEnabled is not true")
	}
}

// TestEnvironment checks the functions get every variable the code reads,
// and that the parameters' defaults are the reference limits.
func TestEnvironment(t *testing.T) {
	tp := loadTemplate(t)
	globals := tp.globalEnv()
	if globals == nil {
		t.Fatal("template has no Globals Function Environment Variables")
	}

	// The fixed list still covers what the code reads.
	literal := regexp.MustCompile(`"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"`)
	getenv := regexp.MustCompile(`os\.(?:Getenv|LookupEnv)\("([A-Z0-9_]+)"\)`)
	sources := map[string]*regexp.Regexp{"internal/app/app.go": literal, "internal/export/limits.go": literal}
	mains, _ := filepath.Glob(filepath.Join(root(t), "functions", "*", "*.go"))
	for _, m := range mains {
		rel, _ := filepath.Rel(root(t), m)
		sources[filepath.ToSlash(rel)] = getenv
	}
	for _, file := range sortedKeys(sources) {
		for _, m := range sources[file].FindAllStringSubmatch(string(readFile(t, file)), -1) {
			name := m[1]
			if strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "_") || strings.HasPrefix(name, "LAMBDA_") {
				continue // set by Lambda or the SDK
			}
			if !slices.Contains(envVars, name) {
				t.Errorf("%s reads %s, which this test's envVars (and so maybe the template) lacks", file, name)
			}
		}
	}

	for _, name := range envVars {
		_, inGlobals := globals[name]
		switch {
		case slices.Contains(apiOnlyEnv, name):
			if inGlobals {
				t.Errorf("%s must not be in Globals: the workflow's functions would depend on the state machine that calls them", name)
			}
			for _, fn := range starters {
				f := tp.resource(t, fn, "AWS::Serverless::Function")
				if _, ok := mapOf(mapOf(f["Environment"])["Variables"])[name]; !ok {
					t.Errorf("%s's Environment lacks %s", fn, name)
				}
			}
		case !inGlobals:
			t.Errorf("Globals Function Environment lacks %s", name)
		}
	}

	// The defaults of the parameters behind the limits are the reference limits.
	params := mapOf(tp["Parameters"])
	env := map[string]string{}
	for name, v := range globals {
		if p, ok := refTarget(v); ok {
			if pm := mapOf(params[p]); pm != nil {
				env[name] = str(pm["Default"])
			}
		}
	}
	for _, name := range envVars {
		if strings.HasPrefix(name, "EXPORT_") && name != "EXPORT_BUCKET" && name != "EXPORT_CUSTOM_FIELDS" {
			if _, ok := env[name]; !ok {
				t.Errorf("Globals %s is not a !Ref to a parameter with a default", name)
			}
		}
	}
	limits, err := export.LimitsFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("the parameters' defaults do not parse: %v", err)
	}
	if limits != export.Defaults {
		t.Errorf("the parameters' defaults give %+v, want export.Defaults %+v", limits, export.Defaults)
	}
}

func TestBuckets(t *testing.T) {
	tp := loadTemplate(t)
	policies := map[string]map[string]any{}
	for id, r := range tp.resources("AWS::S3::BucketPolicy") {
		p := mapOf(r["Properties"])
		if b, ok := refTarget(p["Bucket"]); ok {
			policies[b] = mapOf(p["PolicyDocument"])
		} else {
			t.Errorf("%s: Bucket is not a !Ref", id)
		}
	}
	for _, name := range []string{"LakeBucket", "StagingBucket", "ExportBucket"} {
		props := tp.resource(t, name, "AWS::S3::Bucket")
		pab := mapOf(props["PublicAccessBlockConfiguration"])
		for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
			if pab[k] != true {
				t.Errorf("%s: PublicAccessBlockConfiguration %s is not true", name, k)
			}
		}
		denies := false
		for _, s := range listOf(policies[name]["Statement"]) {
			sm := mapOf(s)
			if str(sm["Effect"]) == "Deny" && str(mapOf(mapOf(sm["Condition"])["Bool"])["aws:SecureTransport"]) == "false" {
				denies = true
			}
		}
		if !denies {
			t.Errorf("%s: no bucket policy denies requests without TLS", name)
		}
	}

	exp := tp.resource(t, "ExportBucket", "AWS::S3::Bucket")
	if _, ok := exp["VersioningConfiguration"]; ok {
		t.Errorf("ExportBucket must not be versioned: deleting an export must delete its file")
	}
	unblocked := false
	for _, r := range listOf(mapOf(exp["BucketEncryption"])["ServerSideEncryptionConfiguration"]) {
		if b, ok := mapOf(r)["BlockedEncryptionTypes"]; ok {
			types := listOf(mapOf(b)["EncryptionType"])
			unblocked = !slices.Contains(types, any("SSE-C"))
		}
	}
	if !unblocked {
		t.Errorf("ExportBucket must set BlockedEncryptionTypes without SSE-C: new buckets block SSE-C, which export files use")
	}
}

func TestEvents(t *testing.T) {
	dir := filepath.Join(root(t), "events")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no events/*.json (%v)", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
	for _, name := range functionNames {
		if _, err := os.Stat(filepath.Join(dir, name+".json")); err != nil {
			t.Errorf("events/%s.json is missing: every function has a sample event", name)
		}
	}

	strict := func(t *testing.T, name string, v any) {
		t.Helper()
		dec := json.NewDecoder(bytes.NewReader(readFile(t, "events/"+name)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Fatalf("events/%s does not decode into %T: %v", name, v, err)
		}
	}
	checkID := func(t *testing.T, name, id string) {
		t.Helper()
		if !exportID.MatchString(id) {
			t.Errorf("events/%s: export_id %q is not an export id (exp_ + lower-case ULID)", name, id)
		}
	}

	for _, name := range []string{"plan.json", "finalize.json"} {
		t.Run(name, func(t *testing.T) {
			var in steps.ExportRef
			strict(t, name, &in)
			checkID(t, name, in.ExportID)
		})
	}
	t.Run("encode.json", func(t *testing.T) {
		var in steps.EncodeInput
		strict(t, "encode.json", &in)
		checkID(t, "encode.json", in.ExportID)
		c := in.Chunk
		if !c.To.After(c.From) || c.Parts < 1 || c.Part < 0 || c.Part >= c.Parts || c.Events <= 0 || c.Seq < 0 {
			t.Errorf("encode.json: chunk %+v is not a plausible chunk", c)
		}
	})
	t.Run("cleanup.json", func(t *testing.T) {
		var in steps.CleanupInput
		strict(t, "cleanup.json", &in)
		checkID(t, "cleanup.json", in.ExportID)
		if in.Error.Error == "" {
			t.Fatal("cleanup.json: error.Error is empty")
		}
		var cause struct {
			Message string `json:"errorMessage"`
			Type    string `json:"errorType"`
		}
		if err := json.Unmarshal([]byte(in.Error.Cause), &cause); err != nil || cause.Message == "" || cause.Type != in.Error.Error {
			t.Errorf("cleanup.json: Cause %q is not a Lambda error of type %s (%v)", in.Error.Cause, in.Error.Error, err)
		}
	})
	t.Run("api.json", func(t *testing.T) {
		var in events.APIGatewayV2HTTPRequest
		strict(t, "api.json", &in)
		if in.Version != "2.0" || in.RequestContext.HTTP.Method == "" || in.RawPath == "" {
			t.Errorf("api.json is not an HTTP API payload 2.0 request: version %q, method %q, path %q", in.Version, in.RequestContext.HTTP.Method, in.RawPath)
		}
		var auth string
		for k, v := range in.Headers {
			if strings.EqualFold(k, "authorization") {
				auth = v
			}
		}
		if !strings.HasPrefix(auth, "Bearer ") {
			t.Errorf("api.json: no Authorization: Bearer header")
		}
	})
	t.Run("schedule.json", func(t *testing.T) {
		var in api.ScheduleEvent
		strict(t, "schedule.json", &in)
		if !strings.HasPrefix(in.ScheduleID, "sch_") {
			t.Errorf("schedule.json: schedule_id %q is not a schedule id", in.ScheduleID)
		}
	})
	t.Run("sweep.json", func(t *testing.T) {
		var in events.EventBridgeEvent
		strict(t, "sweep.json", &in)
		if in.DetailType != "Scheduled Event" || in.Source != "aws.events" {
			t.Errorf("sweep.json is not an EventBridge scheduled event: %q from %q", in.DetailType, in.Source)
		}
	})
}

func TestCfnLint(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("cfn-lint takes seconds")
	}
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not on PATH")
	}
	cmd := exec.Command(bin, templateFile)
	cmd.Dir = root(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cfn-lint %s: %v\n%s", templateFile, err, out)
	}
}

func TestASLValidator(t *testing.T) {
	t.Parallel()
	script := filepath.Join(root(t), filepath.FromSlash(aslValidator))
	if _, err := os.Stat(script); err != nil {
		t.Skip("asl-validator is not installed under internal/local/node")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH")
	}
	cmd := exec.Command(node, script, "--json-path", aslFile)
	cmd.Dir = root(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("asl-validator %s: %v\n%s", aslFile, err, out)
	}
}
