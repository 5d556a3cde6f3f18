// Package export is the domain of the service: search jobs, exports, their
// life cycle, the limits that bound them and the errors users see. It knows
// nothing of AWS; the store, the API and the workflow steps speak in its terms.
package export

import (
	"crypto/rand"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// Status is where an export is in its life cycle:
// PENDING -> RUNNING -> FINISHED | FAILED | CANCELLED, and FINISHED -> EXPIRED
// once the download window has passed.
type Status string

const (
	Pending   Status = "PENDING"
	Running   Status = "RUNNING"
	Finished  Status = "FINISHED"
	Failed    Status = "FAILED"
	Cancelled Status = "CANCELLED"
	Expired   Status = "EXPIRED"
)

// Active reports whether the export still holds its community's lease.
func (s Status) Active() bool { return s == Pending || s == Running }

// Terminal reports whether nothing more will happen to the export but expiry.
func (s Status) Terminal() bool { return !s.Active() }

// SearchJob is a query over one community's events in [Earliest, Latest).
type SearchJob struct {
	ID          string    `json:"uuid"`
	Community   string    `json:"community_uuid"`
	Query       string    `json:"term"`
	Earliest    time.Time `json:"earliest_time"`
	Latest      time.Time `json:"latest_time"`
	CreatedAt   time.Time `json:"created_at"`
	ExportCount int       `json:"export_count"`
	// Warnings point at likely mistakes that still make a valid query, such
	// as a field that is not in the schema; shown once, at creation.
	Warnings []string `json:"warnings,omitempty"`
}

// Destination says where the final file goes. A zero Destination is the
// platform's own export bucket.
type Destination struct {
	Bucket      string `json:"bucket_name,omitempty"`
	Prefix      string `json:"prefix,omitempty"`
	Region      string `json:"region_name,omitempty"`
	EndpointURL string `json:"endpoint_url,omitempty"`
	PathStyle   bool   `json:"path_style,omitempty"`
	AccessKeyID string `json:"access_key_id,omitempty"`
	SSECustomer bool   `json:"sse_c"`
}

// Customer reports whether the file goes to the customer's own bucket.
func (d Destination) Customer() bool { return d.Bucket != "" }

// String says where the file goes, for people: "platform" or s3://bucket/prefix.
func (d Destination) String() string {
	if d.Customer() {
		return "s3://" + d.Bucket + "/" + d.Prefix
	}
	return "platform"
}

// Counts are what the encoders saw, summed over chunks.
type Counts struct {
	Read        int64 `json:"read"`
	Exported    int64 `json:"exported"`
	Invalid     int64 `json:"invalid"`
	NoTimestamp int64 `json:"no_timestamp"`
	Filtered    int64 `json:"filtered"`
	OutOfRange  int64 `json:"out_of_range"`
}

// Export is one export of a search job.
type Export struct {
	ID          string      `json:"uuid"`
	Community   string      `json:"community_uuid"`
	JobID       string      `json:"search_job_uuid"`
	Status      Status      `json:"status"`
	Fields      []string    `json:"fields"`
	Query       string      `json:"query"`
	From        time.Time   `json:"earliest_time"`
	To          time.Time   `json:"latest_time"`
	Destination Destination `json:"destination"`
	CreatedAt   time.Time   `json:"created_at"`
	StartedAt   time.Time   `json:"started_at,omitzero"`
	EndedAt     time.Time   `json:"ended_at,omitzero"`
	ExpiresAt   time.Time   `json:"expire_at,omitzero"`

	// Total is the number of candidate events in the planned partitions;
	// Progress the candidates read so far. Both move as chunks finish.
	Total       int64  `json:"total"`
	Progress    int64  `json:"progress"`
	ChunksTotal int    `json:"chunks_total"`
	ChunksDone  int    `json:"chunks_done"`
	Counts      Counts `json:"counts"`
	Bytes       int64  `json:"export_size_compressed"`
	SHA256      string `json:"sha256,omitempty"`
	ObjectKey   string `json:"object_key,omitempty"`

	ErrorCode string `json:"error_code,omitempty"`
	Error     string `json:"error,omitempty"`

	// KeyMD5 identifies the SSE-C key without revealing it; clients send it
	// with every download.
	KeyMD5 string `json:"sse_customer_key_md5,omitempty"`
	// WrappedKey and WrappedCredentials are KMS ciphertexts kept only while
	// the export runs; never serialised to clients.
	WrappedKey         []byte `json:"-"`
	WrappedCredentials []byte `json:"-"`
	ExecutionARN       string `json:"-"`
}

// NewID returns a sortable, unguessable identifier with a type prefix.
func NewID(prefix string) string {
	return prefix + "_" + strings.ToLower(ulid.MustNew(ulid.Now(), rand.Reader).String())
}

// Schedule exports a rolling window on a timetable kept by EventBridge
// Scheduler, which invokes the schedule function with the schedule's id.
// Unattended runs need the file's key and the customer's credentials, so a
// schedule keeps them wrapped by KMS until it is deleted.
type Schedule struct {
	ID          string      `json:"uuid"`
	Community   string      `json:"community_uuid"`
	Name        string      `json:"name"`
	Query       string      `json:"term"`
	Window      string      `json:"window"`
	Fields      []string    `json:"fields"`
	Destination Destination `json:"destination"`
	KeyMD5      string      `json:"sse_customer_key_md5,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	LastRunAt   time.Time   `json:"last_run_at,omitzero"`
	LastExport  string      `json:"last_export_uuid,omitempty"`

	WrappedKey         []byte `json:"-"`
	WrappedCredentials []byte `json:"-"`
}
