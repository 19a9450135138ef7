// EventLoop+HTTP: HTTP/1.1 framing on a connection: received bytes in, whole requests framed,
// routed (answer or hand over) and dispatched to the responder; refused requests answered.
import HTTP1
import Responding

extension EventLoop {
    /// Appends received bytes to the connection's input and answers every whole request in it.
    func receive(_ bytes: UnsafeRawBufferPointer, on conn: Connection) {
        if !conn.appendInput(bytes, limit: options.maxInputBytes) {
            refuse(conn, HTTPParseError(status: 413, reason: "request too large"))
            return
        }
        processInput(conn)
    }

    /// Frames and dispatches requests while the connection is open and has input, stopping
    /// early when it owes too much output (back-pressure: reading resumes when a send
    /// completes or an owed response settles).
    func processInput(_ conn: Connection) {
        while conn.isOpen && conn.inputEnd > conn.inputStart {
            if conn.pending.count >= options.maxPendingOutputBytes { break }
            if conn.owedResponses >= options.maxOwedResponses { break }
            let buffer = router == nil ? conn.unconsumed : scratchCopy(conn.unconsumed)
            switch conn.parser.parse(buffer) {
            case .incomplete:
                noteIncompleteRequest(conn)
                // An interim 100 goes out only when no earlier response is owed: it may not
                // overtake them, and a client that waits for it sends the body anyway.
                if conn.parser.takePendingContinue() && conn.owedResponses == 0 {
                    HTTPResponseWriter.write100Continue(into: conn.pending)
                }
                return
            case .complete(let consumed):
                conn.headStartedSeconds = -1
                let request = conn.parser.request
                // Draining (here, or in the front that handed this connection over): the
                // response says close.
                let keepAlive = request.keepAlive && !isStopping && !isDraining
                    && conn.origin & DrainState.originBit == 0
                var decision = RouteDecision.respond
                if let router, !(metricsText != nil && Self.targetIsMetrics(request.target, UnsafeRawBufferPointer(buffer))) {
                    decision = router.route(request, in: UnsafeRawBufferPointer(buffer))
                }
                if case .handOver(let taker) = decision {
                    // Input stays unconsumed from this request's start: it all goes along.
                    conn.parser.reset()
                    conn.lifecycle = .handingOver(taker)
                    return
                }
                conn.inputStart += consumed
                if !keepAlive { conn.drain() }
                dispatch(request, UnsafeRawBufferPointer(buffer), keepAlive: keepAlive, on: conn)
                if case .respondThenHandOver(let taker) = decision, keepAlive, conn.isOpen {
                    conn.parser.reset()
                    conn.lifecycle = .handingOver(taker)
                    return
                }
            case .failed(let error):
                refuse(conn, error)
            }
        }
    }

    /// Copies unconsumed input into the loop's scratch buffer (router mode; see parseScratch).
    func scratchCopy(_ bytes: UnsafeMutableRawBufferPointer) -> UnsafeMutableRawBufferPointer {
        if bytes.count > parseScratchCapacity {
            parseScratch.deallocate()
            var capacity = parseScratchCapacity * 2
            while capacity < bytes.count { capacity *= 2 }
            parseScratch = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            parseScratchCapacity = capacity
        }
        if bytes.count > 0 { parseScratch.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        return UnsafeMutableRawBufferPointer(start: parseScratch, count: bytes.count)
    }

    /// Answers a request the parser refused (after any responses still owed) and closes the
    /// connection after it.
    func refuse(_ conn: Connection, _ error: HTTPParseError) {
        stats.parseErrors += 1
        conn.inputStart = conn.inputEnd
        conn.drain()
        let handle = nextHandle(conn, keepAlive: false, isHead: false)
        _ = complete(handle) { out in
            HTTPResponseWriter.writeText(status: error.status, error.reason + "\n", keepAlive: false, into: out)
            return error.status
        }
    }

    /// Gives one framed request its sequence number and answers it: the loop's own endpoints
    /// here, anything else by the responder, now or later.
    func dispatch(_ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer, keepAlive: Bool, on conn: Connection) {
        let handle = nextHandle(conn, keepAlive: keepAlive, isHead: request.isHead,
                                acceptsChunked: request.versionMinor >= 1)
        // In order (nothing owed before it): straight into the connection's output.
        let inOrder = handle.sequence == conn.nextToWrite
        let out = inOrder ? conn.pending : takeSpareOutput()
        let started = clock()
        let progress = answer(request, bytes, handle: handle, into: out)
        stats.serviceNanos &+= UInt64(clock() - started)
        switch progress {
        case .answered(let status):
            settled(conn, handle.sequence, status: status, output: inOrder ? nil : out)
        case .pending:
            precondition(inOrder || out.count == 0, "a responder wrote output and returned .pending")
            if !inOrder { spareOutputs.append(out) }
        }
    }

    /// The next request's handle on `conn`.
    @inline(__always)
    func nextHandle(_ conn: Connection, keepAlive: Bool, isHead: Bool, acceptsChunked: Bool = true) -> ResponseHandle {
        let sequence = conn.requests
        conn.requests &+= 1
        return ResponseHandle(sink: self, slot: conn.slot, generation: conn.generation, sequence: sequence,
                              keepAlive: keepAlive, isHead: isHead, acceptsChunked: acceptsChunked)
    }
}
