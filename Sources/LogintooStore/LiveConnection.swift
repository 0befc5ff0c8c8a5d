import Logging
import LogintooCore
import NIOCore
import PostgresNIO

/// One pooled connection, as the `PostgresDatabase` postgres-kit runs statements on, that refuses a statement once the
/// connection has closed.
///
/// postgres-nio drops a statement written after its connection closed (the channel's handlers are gone and nothing fails
/// the statement's promise), so its caller would wait forever: a ROLLBACK after the connection died mid-transaction, or
/// the next statement when the server closes the connection between two of them (a restart, a failover). So each
/// statement is handed over on the connection's event loop, where "still open" and "written" are one step: open, the
/// connection's handler owns the statement and fails it if the connection closes later; closed, it fails at once.
struct LiveConnection: PostgresDatabase {
    let connection: PostgresConnection

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }

    func send(_ request: any PostgresRequest, logger: Logger) -> EventLoopFuture<Void> {
        withConnection { $0.send(request, logger: logger) }
    }

    func withConnection<T>(_ statement: @escaping (PostgresConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let connection = self.connection
        if connection.eventLoop.inEventLoop { return Self.write(statement, on: connection) }
        // The same single hop to the event loop that postgres-nio makes to write a statement from another thread.
        let handover = Handover(statement: statement, answer: connection.eventLoop.makePromise(of: T.self))
        connection.eventLoop.execute {
            Self.write(handover.statement, on: connection).assumeIsolated().whenComplete { result in
                handover.answer.assumeIsolated().completeWith(result)
            }
        }
        return handover.answer.futureResult
    }

    /// On the connection's event loop: writes the statement, or fails it when the connection has closed.
    private static func write<T>(_ statement: (PostgresConnection) -> EventLoopFuture<T>,
                                 on connection: PostgresConnection) -> EventLoopFuture<T> {
        guard !connection.isClosed else {
            return connection.eventLoop.makeFailedFuture(StoreUnavailable("the connection to PostgreSQL closed"))
        }
        return statement(connection)
    }

    /// A statement and the promise of its answer, crossing to the event loop, where alone they are used.
    private struct Handover<T>: @unchecked Sendable {
        let statement: (PostgresConnection) -> EventLoopFuture<T>
        let answer: EventLoopPromise<T>
    }
}
