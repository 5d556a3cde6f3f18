package keys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/secops/eventexport/internal/export"
)

func TestParse(t *testing.T) {
	k, _ := Generate()
	if got, err := Parse(k.Base64(), k.MD5()); err != nil || got != k {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := Parse(k.Base64(), ""); err != nil {
		t.Fatalf("without MD5: %v", err)
	}
	// The MD5 S3 expects for a key of 32 zero bytes (head -c 32 /dev/zero | openssl dgst -md5 -binary | base64).
	var zero SSECustomerKey
	if zero.MD5() != "cLyPS3KoaSFGi/joRB3OUQ==" {
		t.Fatalf("MD5 of the zero key = %s", zero.MD5())
	}
	for _, bad := range []struct{ key, md5, says string }{
		{"not base64!", "", "base64"},
		{"AAAA", "", "32 bytes"},
		{k.Base64(), zero.MD5(), "does not match"},
	} {
		_, err := Parse(bad.key, bad.md5)
		var e *export.Error
		if !errors.As(err, &e) || e.Code != export.CodeInvalid || !strings.Contains(e.Detail, bad.says) {
			t.Errorf("Parse(%q): %v, want INVALID_REQUEST saying %q", bad.key, err, bad.says)
		}
		if err != nil && strings.Contains(err.Error(), k.Base64()) {
			t.Error("the error repeats the key")
		}
	}
}

func TestSecretsDoNotPrint(t *testing.T) {
	k, _ := Generate()
	c := Credentials{AccessKeyID: "AKIA", SecretAccessKey: "very-secret", SessionToken: "token"}
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s", k, k, k, k), fmt.Sprint(c), fmt.Sprintf("%v %+v %#v", c, c, c)} {
		if strings.Contains(s, k.Base64()) || strings.Contains(s, "very-secret") || strings.Contains(s, "token") {
			t.Fatalf("printed a secret: %s", s)
		}
	}
}

// fakeKMS binds ciphertexts to their encryption context, as KMS does.
type fakeKMS struct{}

func (fakeKMS) Encrypt(_ context.Context, in *kms.EncryptInput, _ ...func(*kms.Options)) (*kms.EncryptOutput, error) {
	blob := append([]byte(fmt.Sprint(in.EncryptionContext)+"|"), in.Plaintext...)
	for i := range blob {
		blob[i] ^= 0x5a
	}
	return &kms.EncryptOutput{CiphertextBlob: blob}, nil
}

func (fakeKMS) Decrypt(_ context.Context, in *kms.DecryptInput, _ ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	blob := bytes.Clone(in.CiphertextBlob)
	for i := range blob {
		blob[i] ^= 0x5a
	}
	ctx, plain, _ := bytes.Cut(blob, []byte("|"))
	if string(ctx) != fmt.Sprint(in.EncryptionContext) {
		return nil, errors.New("InvalidCiphertextException")
	}
	return &kms.DecryptOutput{Plaintext: plain}, nil
}

func TestWrappingIsBoundToCommunityAndExport(t *testing.T) {
	w := Wrapper{KMS: fakeKMS{}, KeyID: "alias/test"}
	k, _ := Generate()
	blob, err := w.WrapKey(context.Background(), k, "acme", "exp_1")
	if err != nil || bytes.Contains(blob, k[:]) {
		t.Fatalf("wrap: %v", err)
	}
	if got, err := w.UnwrapKey(context.Background(), blob, "acme", "exp_1"); err != nil || got != k {
		t.Fatalf("unwrap: %v", err)
	}
	if _, err := w.UnwrapKey(context.Background(), blob, "other", "exp_1"); err == nil {
		t.Fatal("another community unwrapped the key")
	}
	if _, err := w.UnwrapKey(context.Background(), blob, "acme", "exp_2"); err == nil {
		t.Fatal("another export unwrapped the key")
	}
	c := Credentials{AccessKeyID: "AKIA", SecretAccessKey: "s"}
	cb, _ := w.WrapCredentials(context.Background(), c, "acme", "exp_1")
	if got, err := w.UnwrapCredentials(context.Background(), cb, "acme", "exp_1"); err != nil || got != c {
		t.Fatalf("credentials: %+v %v", got, err)
	}
}

func TestWrapTakesWhatTheDestinationNeeds(t *testing.T) {
	w := Wrapper{KMS: fakeKMS{}, KeyID: "alias/test"}
	k, _ := Generate()
	s := Secrets{Key: k, Credentials: Credentials{AccessKeyID: "AKIA", SecretAccessKey: "s"}}
	for _, d := range []export.Destination{{SSECustomer: true}, {Bucket: "b"}, {Bucket: "b", SSECustomer: true}} {
		key, creds, err := w.Wrap(context.Background(), d, s, "acme", "exp_1")
		if err != nil || (key != nil) != d.SSECustomer || (creds != nil) != d.Customer() {
			t.Fatalf("%+v: key %v creds %v (%v)", d, key != nil, creds != nil, err)
		}
		got, err := w.Unwrap(context.Background(), d, key, creds, "acme", "exp_1")
		want := Secrets{}
		if d.SSECustomer {
			want.Key = k
		}
		if d.Customer() {
			want.Credentials = s.Credentials
		}
		if err != nil || got != want {
			t.Fatalf("%+v: unwrapped %v (%v)", d, got, err)
		}
	}
}
