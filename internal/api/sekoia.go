package api

import (
	"net/http"
	"time"

	"github.com/secops/eventexport/internal/export"
)

// The official sekoia-event-exporter CLI speaks these shapes; see
// docs/sekoia-compat.md for the mapping.

type sekoiaTask struct {
	Status     export.Status    `json:"status"`
	Progress   int64            `json:"progress"`
	Total      int64            `json:"total"`
	Message    string           `json:"message"`
	Attributes sekoiaAttributes `json:"attributes"`
}

type sekoiaAttributes struct {
	DownloadURL   string    `json:"download_url,omitempty"`
	ExpireAt      time.Time `json:"expire_at,omitzero"`
	Exported      int64     `json:"exported_events_count"`
	Compressed    int64     `json:"export_size_compressed"`
	SHA256        string    `json:"sha256,omitempty"`
	Error         string    `json:"error,omitempty"`
	ObjectKey     string    `json:"object_key,omitempty"`
	BucketName    string    `json:"bucket_name,omitempty"`
	ChunksDone    int       `json:"chunks_done"`
	ChunksTotal   int       `json:"chunks_total"`
	SSEKeyMD5     string    `json:"sse_customer_key_md5,omitempty"`
	SearchJobUUID string    `json:"search_job_uuid"`
}

func (s *Service) postSekoiaJob(w http.ResponseWriter, r *http.Request, community string) error {
	return s.postJob(w, r, community)
}

func (s *Service) postSekoiaExport(w http.ResponseWriter, r *http.Request, community string) error {
	out, err := s.createExport(withoutCancel(r), community)
	if err != nil {
		return err
	}
	switch v := out.(type) {
	case *Created:
		body := map[string]any{"task_uuid": v.ID}
		if v.SSECustomerKey != "" {
			body["sse_customer_key"] = v.SSECustomerKey
		}
		writeJSON(w, http.StatusAccepted, body)
	default:
		writeJSON(w, http.StatusOK, v)
	}
	return nil
}

func (s *Service) getTask(w http.ResponseWriter, r *http.Request, community string) error {
	e, err := s.GetExport(r.Context(), community, r.PathValue("id"))
	if err != nil {
		return err
	}
	t := sekoiaTask{
		Status:   e.Status,
		Progress: e.Progress,
		Total:    max(e.Total, e.Progress),
		Message:  taskMessage(e),
		Attributes: sekoiaAttributes{
			ExpireAt: e.ExpiresAt, Exported: e.Counts.Exported, Compressed: e.Bytes, SHA256: e.SHA256,
			Error: e.Error, ObjectKey: e.ObjectKey, BucketName: e.Destination.Bucket,
			ChunksDone: e.ChunksDone, ChunksTotal: e.ChunksTotal, SSEKeyMD5: e.KeyMD5, SearchJobUUID: e.JobID,
		},
	}
	if e.Status == export.Finished && !e.Destination.Customer() {
		u, err := s.signDownload(r.Context(), e)
		if err != nil {
			return err
		}
		t.Attributes.DownloadURL = u.URL
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func taskMessage(e *export.Export) string {
	switch e.Status {
	case export.Finished:
		return "export finished"
	case export.Failed, export.Cancelled:
		return e.Error
	case export.Expired:
		return "the export expired and its file was deleted"
	case export.Running:
		return "exporting"
	}
	return "waiting to start"
}
