// DrainTests: SIGTERM under load loses no request that got in, closes idle keep-alive
// connections and exits 0, in all nine modes; a second signal exits at once.
import Foundation
import Testing

/// Keeps one client busy with keep-alive requests until the server goes away, and sorts the
/// outcomes: a connection closed before any byte of its response is one the client may retry
/// (RFC 9112 9.3.1; the request never got in); a response cut short is a lost request.
final class LoadUntilGone: @unchecked Sendable {
    let lock = NSLock()
    var answered = 0
    var closedBeforeResponse = 0
    var lost: [String] = []
    let done = DispatchSemaphore(value: 0)

    init(port: UInt16, path: String) {
        Thread.detachNewThread { [self] in
            defer { done.signal() }
            while true {
                guard let c = try? Connection(port: port, timeoutSeconds: 30) else { return }  // refused: gone
                while true {
                    c.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
                    do {
                        let r = try c.readResponse()
                        lock.lock()
                        if r.status == 200 { answered += 1 } else { lost.append("status \(r.status)") }
                        lock.unlock()
                        if r.header("connection") == "close" { break }
                    } catch ClientError.closed(let partial) where partial.isEmpty {
                        lock.lock(); closedBeforeResponse += 1; lock.unlock()
                        break
                    } catch {
                        lock.lock(); lost.append("\(error)"); lock.unlock()
                        return
                    }
                }
            }
        }
    }
}

@Suite("drain on SIGTERM, every engine and isolation model")
struct DrainTests {
    @Test(arguments: Mode.nine)
    func sigtermAnswersEveryRequestThatGotInAndExitsZero(_ mode: Mode) throws {
        try mode.io.requireAvailable()
        let server = try startServer(mode, ["--drain-timeout-s", "20"])
        defer { server.stop() }
        #expect(try request(server.port, "GET", "/slow/?ms=1").status == 200)  // warm
        let idle = try Connection(port: server.port)
        idle.send("GET /sw/ HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        let load = [LoadUntilGone(port: server.port, path: "/sw/"), LoadUntilGone(port: server.port, path: "/hello/")]
        #expect(eventually(10) { load.allSatisfy { l in l.lock.withLock { l.answered > 0 } } })
        var inFlight: [Connection] = []
        for _ in 0..<8 {
            let c = try Connection(port: server.port, timeoutSeconds: 30)
            c.send("GET /slow/?ms=60 HTTP/1.1\r\nHost: x\r\n\r\n")
            inFlight.append(c)
        }
        #expect(server.waitForLog("slow request started", timeout: 10))
        kill(server.process.processIdentifier, SIGTERM)
        for (i, c) in inFlight.enumerated() {
            let r = try c.readResponse()
            #expect(r.status == 200, "in-flight request \(i)")
            #expect(r.text == "slept 60")
            // Dispatched before the signal it may say keep-alive; the drain closes it after.
            if r.header("connection") != "close" { #expect(c.isClosedByPeer(), "in-flight \(i) left open") }
        }
        #expect(idle.isClosedByPeer(), "an idle keep-alive connection is closed by the drain")
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0, "\(server.log)")
        for l in load {
            #expect(l.done.wait(timeout: .now() + 30) == .success)
            #expect(l.lost.isEmpty, "lost: \(l.lost)")
        }
        #expect(server.log.contains("draining"))
    }

    @Test func secondSignalExitsAtOnce() throws {
        let server = try startServer(Mode(io: .epoll, isolation: .isolate), ["--drain-timeout-s", "60"])
        defer { server.stop() }
        let held = try Connection(port: server.port, timeoutSeconds: 30)
        held.send("GET /slow/?ms=1 HTTP/1.1\r\nHost: x\r\nX-Half: ")  // a head that holds the drain
        #expect(server.waitForLog("listening"))
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitForLog("draining"))
        let started = Date()
        kill(server.process.processIdentifier, SIGINT)
        server.process.waitUntilExit()
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(server.log.contains("exiting at once"))
    }
}
