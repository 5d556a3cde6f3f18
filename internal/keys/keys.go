// Package keys makes, checks and protects the secrets of an export: the
// 256-bit SSE-C key of its file and the customer's bucket credentials. While
// an export runs they are kept only wrapped by KMS, bound to the community
// and the export by the encryption context.
package keys

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/secops/eventexport/internal/export"
)

// SSECustomerKey is a 256-bit SSE-C key. Its String never reveals it.
type SSECustomerKey [32]byte

// Generate returns a fresh random key.
func Generate() (SSECustomerKey, error) {
	var k SSECustomerKey
	_, err := rand.Read(k[:])
	return k, err
}

// Parse checks a client's base64 key and, when given, its base64 MD5.
func Parse(keyB64, md5B64 string) (SSECustomerKey, error) {
	var k SSECustomerKey
	raw, err := base64.StdEncoding.DecodeString(keyB64)
	if err != nil {
		return k, export.Errorf(export.CodeInvalid, "sse_customer_key is not valid base64; send the 32-byte key base64-encoded (for example: openssl rand -base64 32)")
	}
	if len(raw) != 32 {
		return k, export.Errorf(export.CodeInvalid, "sse_customer_key decodes to %d bytes; an SSE-C key must be exactly 32 bytes (256 bits)", len(raw))
	}
	copy(k[:], raw)
	if md5B64 != "" && md5B64 != k.MD5() {
		return k, export.Errorf(export.CodeInvalid, "sse_customer_key_md5 does not match the key; send the base64 MD5 of the 32 raw key bytes (openssl dgst -md5 -binary KEYFILE | base64)")
	}
	return k, nil
}

// Base64 is the key as S3's x-amz-server-side-encryption-customer-key header wants it.
func (k SSECustomerKey) Base64() string { return base64.StdEncoding.EncodeToString(k[:]) }

// MD5 is the base64 MD5 digest S3 wants beside the key.
func (k SSECustomerKey) MD5() string {
	sum := md5.Sum(k[:])
	return base64.StdEncoding.EncodeToString(sum[:])
}

// String keeps keys out of logs and error messages.
func (k SSECustomerKey) String() string { return "SSECustomerKey(redacted)" }

// GoString keeps keys out of %#v too.
func (k SSECustomerKey) GoString() string { return k.String() }

// Credentials are a customer's S3 credentials.
type Credentials struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	SessionToken    string `json:"session_token,omitempty"`
}

// String keeps secrets out of logs.
func (c Credentials) String() string { return fmt.Sprintf("Credentials(%s, redacted)", c.AccessKeyID) }

// GoString keeps secrets out of %#v too.
func (c Credentials) GoString() string { return c.String() }

// KMS is the part of the KMS API used to wrap secrets.
type KMS interface {
	Encrypt(ctx context.Context, in *kms.EncryptInput, opts ...func(*kms.Options)) (*kms.EncryptOutput, error)
	Decrypt(ctx context.Context, in *kms.DecryptInput, opts ...func(*kms.Options)) (*kms.DecryptOutput, error)
}

// Wrapper wraps secrets under one KMS key.
type Wrapper struct {
	KMS   KMS
	KeyID string
}

func encryptionContext(community, exportID string) map[string]string {
	return map[string]string{"community": community, "export": exportID}
}

func (w Wrapper) wrap(ctx context.Context, plain []byte, community, exportID string) ([]byte, error) {
	out, err := w.KMS.Encrypt(ctx, &kms.EncryptInput{KeyId: &w.KeyID, Plaintext: plain, EncryptionContext: encryptionContext(community, exportID)})
	if err != nil {
		return nil, fmt.Errorf("wrap secret: %w", err)
	}
	return out.CiphertextBlob, nil
}

func (w Wrapper) unwrap(ctx context.Context, blob []byte, community, exportID string) ([]byte, error) {
	out, err := w.KMS.Decrypt(ctx, &kms.DecryptInput{KeyId: &w.KeyID, CiphertextBlob: blob, EncryptionContext: encryptionContext(community, exportID)})
	if err != nil {
		return nil, fmt.Errorf("unwrap secret: %w", err)
	}
	return out.Plaintext, nil
}

// WrapKey returns the KMS ciphertext of k for this export.
func (w Wrapper) WrapKey(ctx context.Context, k SSECustomerKey, community, exportID string) ([]byte, error) {
	return w.wrap(ctx, k[:], community, exportID)
}

// UnwrapKey recovers an export's key.
func (w Wrapper) UnwrapKey(ctx context.Context, blob []byte, community, exportID string) (SSECustomerKey, error) {
	var k SSECustomerKey
	plain, err := w.unwrap(ctx, blob, community, exportID)
	if err != nil {
		return k, err
	}
	if len(plain) != len(k) {
		return k, fmt.Errorf("unwrap secret: got %d bytes, want %d", len(plain), len(k))
	}
	copy(k[:], plain)
	return k, nil
}

// WrapCredentials returns the KMS ciphertext of c for this export.
func (w Wrapper) WrapCredentials(ctx context.Context, c Credentials, community, exportID string) ([]byte, error) {
	plain, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return w.wrap(ctx, plain, community, exportID)
}

// UnwrapCredentials recovers an export's customer credentials.
func (w Wrapper) UnwrapCredentials(ctx context.Context, blob []byte, community, exportID string) (Credentials, error) {
	var c Credentials
	plain, err := w.unwrap(ctx, blob, community, exportID)
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal(plain, &c)
}

// Secrets are what a file's destination needs: the SSE-C key when the
// destination uses SSE-C, the customer's credentials when it is their bucket.
type Secrets struct {
	Key         SSECustomerKey
	Credentials Credentials
}

// Wrap returns the KMS ciphertexts of the secrets d needs, bound to the
// community and to their owner (an export or a schedule).
func (w Wrapper) Wrap(ctx context.Context, d export.Destination, s Secrets, community, owner string) (key, creds []byte, err error) {
	if d.SSECustomer {
		if key, err = w.WrapKey(ctx, s.Key, community, owner); err != nil {
			return nil, nil, err
		}
	}
	if d.Customer() {
		if creds, err = w.WrapCredentials(ctx, s.Credentials, community, owner); err != nil {
			return nil, nil, err
		}
	}
	return key, creds, nil
}

// Unwrap is Wrap's inverse.
func (w Wrapper) Unwrap(ctx context.Context, d export.Destination, key, creds []byte, community, owner string) (Secrets, error) {
	var s Secrets
	var err error
	if d.SSECustomer {
		if s.Key, err = w.UnwrapKey(ctx, key, community, owner); err != nil {
			return s, err
		}
	}
	if d.Customer() {
		if s.Credentials, err = w.UnwrapCredentials(ctx, creds, community, owner); err != nil {
			return s, err
		}
	}
	return s, nil
}
