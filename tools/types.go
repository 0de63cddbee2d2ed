package tools

import (
	"encoding/json"
	"strings"
)

// StringList is a list of ids. The schema declares an array of strings; a
// comma-separated string is accepted too, as agents often send one, and so
// are numbers (department ids).
type StringList []string

// UnmarshalJSON accepts ["a","b"], "a,b" and [1,2].
func (l *StringList) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = splitList(s)
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		return invalid("", "must be an array of strings or a comma-separated string")
	}
	out := make([]string, 0, len(items))
	for i, raw := range items {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return invalid("", "item %d is not valid JSON", i)
		}
		switch v := v.(type) {
		case string:
			if v = strings.TrimSpace(v); v == "" {
				return invalid("", "item %d is empty", i)
			}
			out = append(out, v)
		case float64:
			out = append(out, string(raw))
		default:
			return invalid("", "item %d must be a string", i)
		}
	}
	*l = out
	return nil
}

func splitList(s string) []string {
	out := []string{}
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// maxCells bounds a Values matrix: DingTalk refuses writes far smaller, and
// the bound keeps a hostile call from exhausting memory.
const maxCells = 50000

// Matrix is a 2D array of cell values, one inner array per row. The schema
// declares an array of arrays of strings; a JSON string holding that
// array, as agents often send it, is accepted too, and numbers and booleans in cells
// are taken as their text.
type Matrix [][]string

// UnmarshalJSON accepts [["a","b"]] and "[[\"a\",\"b\"]]".
func (m *Matrix) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		b = []byte(s)
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(b, &rows); err != nil {
		return invalid("", `must be a 2D array of strings, one inner array per row, e.g. [["Name","Qty"],["Pen","2"]]`)
	}
	out := make([][]string, 0, len(rows))
	cells := 0
	for i, raw := range rows {
		var cellsRaw []json.RawMessage
		if err := json.Unmarshal(raw, &cellsRaw); err != nil {
			return invalid("", "row %d must be an array of cell values", i+1)
		}
		cells += len(cellsRaw)
		if cells > maxCells {
			return invalid("", "has more than %d cells; write it in several calls", maxCells)
		}
		row := make([]string, len(cellsRaw))
		for j, c := range cellsRaw {
			var v any
			if err := json.Unmarshal(c, &v); err != nil {
				return invalid("", "row %d, cell %d is not valid JSON", i+1, j+1)
			}
			switch v := v.(type) {
			case string:
				row[j] = v
			case nil:
				row[j] = ""
			case float64, bool:
				row[j] = string(c)
			default:
				return invalid("", "row %d, cell %d must be a string, number or boolean", i+1, j+1)
			}
		}
		out = append(out, row)
	}
	*m = out
	return nil
}

// Check reports an empty or ragged matrix, or one whose rows are not
// width cells wide (width 0 skips that check).
func (m Matrix) Check(field string, width int) error {
	if len(m) == 0 {
		return invalid(field, "%s must have at least one row", field)
	}
	w := len(m[0])
	if width > 0 {
		w = width
	}
	if w == 0 {
		return invalid(field, "%s row 1 is empty: every row needs at least one cell", field)
	}
	for i, row := range m {
		if len(row) != w {
			if width > 0 {
				return invalid(field, "%s row %d has %d cells but the range is %d columns wide: every row must have exactly %d", field, i+1, len(row), w, w)
			}
			return invalid(field, "%s row %d has %d cells but row 1 has %d: every row must have the same number of cells", field, i+1, len(row), w)
		}
	}
	return nil
}

// addressable refuses an id that cannot be a URL path segment: blank, or
// a dot segment (see pathSegment).
func addressable(field, id string) error {
	if strings.TrimSpace(id) == "" {
		return invalid(field, "%s must not be blank", field)
	}
	return pathSegment(field, id)
}

// pathSegment refuses "." and "..": URL escaping leaves them as they are
// and HTTP servers resolve them, so the request would reach another
// resource than the one named (a SheetId of "." turns GET …/sheets/. into
// the sheet list). Every id a tool puts in a URL path passes here; the
// dingtalk client does not check.
func pathSegment(field, id string) error {
	if id == "." || id == ".." {
		return invalid(field, "%s %q is not an id or a name DingTalk can address", field, id)
	}
	return nil
}
