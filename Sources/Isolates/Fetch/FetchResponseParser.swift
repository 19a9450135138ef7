// FetchResponseParser: reads one HTTP/1.1 response from a backend (status line, headers, a body
// framed by content-length, chunked transfer-coding or the end of the connection).

/// Parses the bytes of one response as they arrive. RFC 9112 section 6.3 decides the framing:
/// no body for HEAD, 1xx, 204 and 304; chunked when transfer-encoding ends in chunked; else
/// content-length; else the body runs until the backend closes the connection.
final class FetchResponseParser {
    enum Progress: Equatable {
        case needMore
        case done
        case failed(String)
    }
    private enum Framing { case none, length(Int), chunked, untilClose }

    private(set) var status = 0
    private(set) var reason = ""
    /// "name:value\n" per field, as the prelude's Headers reads them.
    private(set) var headerBlock: [UInt8] = []
    private(set) var body: [UInt8] = []
    /// The connection may carry another request after this response.
    private(set) var keepAlive = true
    private var buffer: [UInt8] = []
    private var position = 0
    private var framing: Framing?
    private var inTrailers = false
    private let isHead: Bool
    private let maxBodyBytes: Int
    static let maxHeadBytes = 64 * 1024

    init(isHead: Bool, maxBodyBytes: Int) {
        self.isHead = isHead
        self.maxBodyBytes = maxBodyBytes
    }

    /// True once any byte of the response arrived (a kept-alive connection that closes before
    /// that may be retried on a new one).
    var started: Bool { !buffer.isEmpty || framing != nil }

    func feed(_ bytes: UnsafeRawBufferPointer) -> Progress {
        buffer.append(contentsOf: bytes)
        if framing == nil {
            guard let end = headEnd() else {
                return buffer.count > Self.maxHeadBytes ? .failed("response head larger than \(Self.maxHeadBytes) bytes") : .needMore
            }
            if let error = parseHead(end) { return .failed(error) }
        }
        return advance()
    }

    /// The backend closed the connection.
    func endOfInput() -> Progress {
        if case .untilClose? = framing { keepAlive = false; return .done }
        return .failed(framing == nil ? "the backend closed the connection without a response"
                                      : "the backend closed the connection before the end of the response body")
    }

    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }

    private func parseHead(_ end: Int) -> String? {
        let lines = String(decoding: buffer[0..<end], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let code = Int(statusLine[1]), (100...999).contains(code) else {
            return "malformed response status line: \(lines[0].prefix(80))"
        }
        status = code
        reason = statusLine.count > 2 ? String(statusLine[2]) : ""
        if statusLine[0] == "HTTP/1.0" { keepAlive = false }
        var length: Int?
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return "malformed response header line: \(line.prefix(80))" }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmedSpaces
            switch name {
            case "content-length":
                guard let n = Int(value), n >= 0, length == nil || length == n else { return "invalid content-length: \(value)" }
                length = n
            case "transfer-encoding":
                chunked = value.lowercased().hasSuffix("chunked")
            case "connection":
                let v = value.lowercased()
                if v.contains("close") { keepAlive = false } else if v.contains("keep-alive") && statusLine[0] == "HTTP/1.0" { keepAlive = true }
            default: break
            }
            headerBlock.append(contentsOf: name.utf8)
            headerBlock.append(UInt8(ascii: ":"))
            headerBlock.append(contentsOf: value.utf8)
            headerBlock.append(UInt8(ascii: "\n"))
        }
        if isHead || code < 200 || code == 204 || code == 304 {
            framing = Framing.none
        } else if chunked {
            framing = .chunked
        } else if let length {
            guard length <= maxBodyBytes else { return "response body of \(length) bytes is over the \(maxBodyBytes)-byte limit" }
            framing = .length(length)
        } else {
            framing = .untilClose
        }
        position = end + 4
        return nil
    }

    private func advance() -> Progress {
        switch framing! {
        case .none:
            return .done
        case .length(let n):
            let take = min(n - body.count, buffer.count - position)
            body.append(contentsOf: buffer[position..<(position + take)])
            position += take
            compact()
            return body.count == n ? .done : .needMore
        case .untilClose:
            body.append(contentsOf: buffer[position...])
            position = buffer.count
            compact()
            return body.count > maxBodyBytes ? .failed("response body over the \(maxBodyBytes)-byte limit") : .needMore
        case .chunked:
            return advanceChunked()
        }
    }

    /// Decodes whole chunks from `position`; a partial chunk waits for more bytes.
    private func advanceChunked() -> Progress {
        while true {
            guard let lineEnd = findCRLF(from: position) else { return .needMore }
            if inTrailers {
                // Trailer fields are read past; an empty line ends the message.
                let empty = lineEnd == position
                position = lineEnd + 2
                if empty { compact(); return .done }
                continue
            }
            let sizeText = String(decoding: buffer[position..<lineEnd], as: UTF8.self)
            let hex = sizeText.split(separator: ";", maxSplits: 1).first.map(\.trimmedSpaces) ?? ""
            guard let size = Int(hex, radix: 16), size >= 0 else { return .failed("malformed chunk size: \(sizeText.prefix(40))") }
            if size == 0 {
                inTrailers = true
                position = lineEnd + 2
                continue
            }
            guard body.count + size <= maxBodyBytes else { return .failed("response body over the \(maxBodyBytes)-byte limit") }
            let dataStart = lineEnd + 2
            guard buffer.count >= dataStart + size + 2 else { return .needMore }
            body.append(contentsOf: buffer[dataStart..<(dataStart + size)])
            position = dataStart + size + 2
            compact()
        }
    }

    private func findCRLF(from start: Int) -> Int? {
        guard buffer.count >= 2, start <= buffer.count - 2 else { return nil }
        for i in start...(buffer.count - 2) where buffer[i] == 13 && buffer[i + 1] == 10 { return i }
        return nil
    }

    /// Drops consumed bytes once they are most of the buffer (keeps appends amortised).
    private func compact() {
        if position > 64 * 1024 && position * 2 > buffer.count {
            buffer.removeFirst(position)
            position = 0
        }
    }
}
