package tools

func chatTools() []declaration  { return nil }
func wikiTools() []declaration  { return nil }
func sheetTools() []declaration { return nil }
