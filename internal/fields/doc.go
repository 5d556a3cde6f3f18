// Package fields decides which event fields an export may contain and in what
// order.
//
// The platform schema is the Elastic Common Schema field list embedded as
// ecs_fields.tsv plus the custom fields an operator configures. A field is
// exportable when it is a leaf of that schema, which here means:
//
//   - it is listed (ECS or custom), and
//   - its ECS type is not "object" or "nested": those name a group of fields,
//     so exporting one would copy an unbounded subtree; and
//   - it is not a multi-field such as "user.name.text": ECS lists those under
//     a keyword parent, but they exist only in the search index, never in the
//     stored event, so the export would always be empty.
//
// "flattened" fields are exportable: ECS treats them as one value even though
// that value is a JSON object.
//
// ecs_fields.tsv is derived from generated/csv/fields.csv of elastic/ecs,
// Copyright Elasticsearch B.V., licensed under the Apache License 2.0; the
// attribution is kept in the repository's NOTICE file and must travel with
// any copy of the list.
package fields
