package formats

import "bytes"

// scanLines is a bufio.SplitFunc like bufio.ScanLines that also ends a line
// at a lone "\r", as files saved with old Mac OS line ends have them:
// "\n", "\r\n" and "\r" each end a line (a line does not hold its end), so
// that positions count the lines an editor shows. The DIMACS and UVL
// readers split their input with it.
func scanLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	nl := bytes.IndexByte(data, '\n')
	line := data
	if nl >= 0 {
		line = data[:nl]
	}
	if cr := bytes.IndexByte(line, '\r'); cr >= 0 {
		switch {
		case cr+1 < len(data) && data[cr+1] == '\n':
			return cr + 2, data[:cr], nil
		case cr+1 < len(data) || atEOF:
			return cr + 1, data[:cr], nil
		}
		return 0, nil, nil // a "\r" ends the data read so far: is "\n" next?
	}
	switch {
	case nl >= 0:
		return nl + 1, data[:nl], nil
	case atEOF && len(data) > 0:
		return len(data), data, nil
	}
	return 0, nil, nil
}
