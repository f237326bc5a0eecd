/**
 * A wire-level test double of EventStoreDB: a gRPC server (@grpc/grpc-js) speaking the
 * Streams and ServerFeatures services with the generated definitions the client package
 * ships, over an in-memory log. It implements the server's documented behaviour, not any
 * client's expectations; it is a test server, not EventStoreDB (no persistence, no cluster,
 * no projections, no persistent subscriptions, no users or ACLs).
 */

import net from 'node:net';
import serverFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import serverFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import {
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { filterOf, type SlowConsumer, serveAllSubscription } from './all-subscription.ts';
import { type AppendOutcome, EventLog, type LogPosition, type Proposed } from './log.ts';
import {
  accessDeniedError,
  appendPosition,
  eventResponse,
  expectedOfAppend,
  expectedOfBatch,
  expectedOfDelete,
  invalidPositionError,
  ProtocolError,
  rpcStatus,
  type ServerError,
  serverError,
  sharedWrongExpectedVersion,
  streamDeletedError,
  streamIdentifier,
  streamName,
  streamNotFoundResponse,
  toProposed,
} from './wire.ts';

export type EventStoreDoubleOptions = {
  /** 0 = a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The version reported by ServerFeatures. */
  readonly serverVersion?: string;
  /** Servers before 22.6: events read from a stream carry position −1/−1 and no envelope position. */
  readonly legacyPositions?: boolean;
  /** BatchAppend offered and advertised (servers since 21.10); without it, only Append. */
  readonly batchAppend?: boolean;
  /** Live events buffered for a subscriber that does not read before it counts as too far behind. */
  readonly maxLiveBuffer?: number;
  /** What happens to that subscriber: caught up again from the log (default), or aborted. */
  readonly slowConsumer?: SlowConsumer;
  /** Subscriptions say when they have caught up (servers since 23.10); default: unless legacyPositions. */
  readonly caughtUp?: boolean;
  /** Size of the cache of recent event ids used to recognise repeats appended with `any`. */
  readonly idCacheSize?: number;
};

export type EventStoreDouble = {
  /** `esdb://host:port?tls=false` */
  readonly url: string;
  readonly port: number;
  readonly log: EventLog;
  /** Refuse reads and subscriptions as a secure server refuses a user without rights. */
  denyReads: boolean;
  /** Leave reads unanswered (a server that accepts calls and never replies). */
  stallReads: boolean;
  /** Open client TCP connections. */
  connections(): number;
  /** Cuts every client connection, as a network failure or a server restart does. */
  dropConnections(): void;
  /** Where subscriptions to $all asked to start, in order ('start', 'end' or commit/prepare). */
  readonly subscriptionStarts: string[];
  /** Events sent by reads and subscriptions of $all. */
  readonly allEventsSent: { count: number };
  /** Open gRPC calls (reads, subscriptions, batch append sessions) the server is serving. */
  openCalls(): number;
  /** Subscriptions the server dropped because their consumer fell too far behind. */
  readonly droppedSubscriptions: number;
  /** Times a live subscription fell behind and was caught up again from the log. */
  readonly fellBehind: number;
  /** Calls received per method (`read`, `append`, `batchAppend`, `delete`, `tombstone`). */
  readonly requests: Record<string, number>;
  stop(): Promise<void>;
};

const STREAMS_SERVICE = 'event_store.client.streams.Streams';

const supportedMethods = (version: string, batchAppend: boolean) => {
  const methods = new serverFeaturesPb.SupportedMethods();
  methods.setEventStoreServerVersion(version);
  const names = ['read', 'append', 'delete', 'tombstone', ...(batchAppend ? ['batchappend'] : [])];
  methods.setMethodsList(
    names.map((name) => {
      const method = new serverFeaturesPb.SupportedMethod();
      method.setServiceName(STREAMS_SERVICE);
      method.setMethodName(name);
      if (name === 'read') method.setFeaturesList(['position', 'events']);
      return method;
    }),
  );
  return methods;
};

const positionOf = (p: streamsPb.ReadReq.Options.Position): LogPosition => ({
  commit: BigInt(p.getCommitPosition()),
  prepare: BigInt(p.getPreparePosition()),
});

export const startEventStoreDouble = async (
  options: EventStoreDoubleOptions = {},
): Promise<EventStoreDouble> => {
  const log = new EventLog(options.idCacheSize);
  log.appendSystem('$settings', '$settings', { $userStreamAcl: {}, $systemStreamAcl: {} });
  const legacyPositions = options.legacyPositions ?? false;
  const batchAppend = options.batchAppend ?? true;
  const version = options.serverVersion ?? (legacyPositions ? '22.4.0' : '24.10.0');
  const settings = {
    maxLiveBuffer: options.maxLiveBuffer ?? 10_000,
    slowConsumer: options.slowConsumer ?? 'catch-up',
    caughtUp: options.caughtUp ?? !legacyPositions,
    dropped: { count: 0 },
    fellBehind: { count: 0 },
    sent: { count: 0 },
  };
  const calls = new Set<{ cancel(): void }>();
  const server = new Server();

  const track = (call: { on(e: 'cancelled' | 'finish' | 'close', f: () => void): unknown }) => {
    const controller = new AbortController();
    const entry = { cancel: () => controller.abort() };
    calls.add(entry);
    const done = () => {
      calls.delete(entry);
      controller.abort();
    };
    call.on('cancelled', done);
    call.on('finish', done);
    call.on('close', done);
    return { signal: controller.signal, done };
  };

  const read = (call: ServerWritableStream<streamsPb.ReadReq, streamsPb.ReadResp>) => {
    const { signal, done } = track(call);
    const fail = (error: ServerError) => {
      call.emit('error', error);
      done();
    };
    const options = call.request.getOptions();
    if (!options) return fail(serverError(status.INVALID_ARGUMENT, 'read without options'));
    if (double.denyReads) return fail(accessDeniedError());
    if (double.stallReads) return;
    const forwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.FORWARDS;

    if (options.hasStream()) {
      const streamOptions = options.getStream()!;
      const name = streamName(streamOptions.getStreamIdentifier());
      const stream = log.stream(name);
      if (stream.kind === 'deleted') return fail(streamDeletedError(name));
      if (stream.kind === 'missing') {
        call.write(streamNotFoundResponse(name));
        call.end();
        return done();
      }
      const count = BigInt(options.getCount() || '0');
      const ordered = forwards ? stream.records : [...stream.records].reverse();
      const from = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : undefined;
      let sent = 0n;
      for (const record of ordered) {
        if (sent >= count) break;
        if (from !== undefined && (forwards ? record.revision < from : record.revision > from)) continue;
        call.write(eventResponse(record, { legacyPositions, fromStream: true }));
        sent++;
      }
      call.end();
      return done();
    }

    const all = options.getAll()!;
    const filter = filterOf(options);
    let from: LogPosition | 'start' | 'end';
    if (all.hasPosition()) {
      from = positionOf(all.getPosition()!);
      if (!log.isValidPosition(from)) return fail(invalidPositionError());
    } else from = all.hasEnd() ? 'end' : 'start';

    if (options.hasSubscription()) {
      double.subscriptionStarts.push(typeof from === 'string' ? from : `${from.commit}/${from.prepare}`);
      serveAllSubscription(log, call, from, filter, settings, signal)
        .catch((error: unknown) => fail(serverError(status.INTERNAL, String(error))))
        .finally(() => {
          if (!call.cancelled && !call.destroyed) call.end();
          done();
        });
      return;
    }

    // A read of $all: forwards from a position inclusively, backwards before it.
    const count = Number(BigInt(options.getCount() || '0'));
    const records = log.records;
    let sent = 0;
    if (forwards) {
      const start = from === 'start' ? 0 : from === 'end' ? records.length : log.indexAtOrAfter(from);
      for (let i = start; i < records.length && sent < count; i++) {
        if (filter && !filter.matches(records[i]!)) continue;
        call.write(eventResponse(records[i]!));
        double.allEventsSent.count++;
        sent++;
      }
    } else {
      const end = from === 'start' ? 0 : from === 'end' ? records.length : log.indexAtOrAfter(from);
      for (let i = end - 1; i >= 0 && sent < count; i--) {
        if (filter && !filter.matches(records[i]!)) continue;
        call.write(eventResponse(records[i]!));
        double.allEventsSent.count++;
        sent++;
      }
    }
    call.end();
    done();
  };

  const append = (
    call: ServerReadableStream<streamsPb.AppendReq, streamsPb.AppendResp>,
    callback: sendUnaryData<streamsPb.AppendResp>,
  ) => {
    let target: { name: string; options: streamsPb.AppendReq.Options } | undefined;
    const events: Proposed[] = [];
    let failed = false;
    const fail = (error: ServerError) => {
      if (failed) return;
      failed = true;
      callback(error);
    };
    call.on('data', (request: streamsPb.AppendReq) => {
      try {
        if (request.hasOptions()) {
          const options = request.getOptions()!;
          target = { name: streamName(options.getStreamIdentifier()), options };
        } else if (request.hasProposedMessage()) {
          if (!target) throw new ProtocolError('the first message of an append carries its options');
          events.push(toProposed(request.getProposedMessage()!));
        }
      } catch (error) {
        fail(serverError(status.INVALID_ARGUMENT, (error as Error).message));
      }
    });
    call.on('end', () => {
      if (failed) return;
      if (!target) return fail(serverError(status.INVALID_ARGUMENT, 'append without options'));
      let expected: ReturnType<typeof expectedOfAppend>;
      try {
        expected = expectedOfAppend(target.options);
      } catch (error) {
        return fail(serverError(status.INVALID_ARGUMENT, (error as Error).message));
      }
      const outcome =
        events.length === 0 ? emptyAppend(target.name) : log.append(target.name, events, expected);
      const response = new streamsPb.AppendResp();
      switch (outcome.kind) {
        case 'stream_deleted':
          return fail(streamDeletedError(target.name));
        case 'wrong_expected_version': {
          const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
          if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new sharedPb.Empty());
          else wrong.setCurrentRevision(outcome.current.toString());
          const e = outcome.expected;
          if (e.kind === 'revision') wrong.setExpectedRevision(e.revision.toString());
          else if (e.kind === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
          else if (e.kind === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
          else wrong.setExpectedAny(new sharedPb.Empty());
          response.setWrongExpectedVersion(wrong);
          return callback(null, response);
        }
        case 'success': {
          const success = new streamsPb.AppendResp.Success();
          if (outcome.revision < 0n) success.setNoStream(new sharedPb.Empty());
          else success.setCurrentRevision(outcome.revision.toString());
          success.setPosition(appendPosition(outcome.position));
          response.setSuccess(success);
          return callback(null, response);
        }
      }
    });
  };

  /** An append of no events checks nothing and writes nothing: it reports the stream's state. */
  const emptyAppend = (name: string): AppendOutcome => {
    const stream = log.stream(name);
    if (stream.kind === 'deleted') return { kind: 'stream_deleted' };
    const last = stream.kind === 'live' ? stream.records.at(-1)! : undefined;
    return {
      kind: 'success',
      revision: last?.revision ?? -1n,
      position: last ? { commit: last.commit, prepare: last.prepare } : log.end,
    };
  };

  const batchAppendCall = (call: ServerDuplexStream<streamsPb.BatchAppendReq, streamsPb.BatchAppendResp>) => {
    const { done } = track(call);
    const pending = new Map<
      string,
      { name: string; options: streamsPb.BatchAppendReq.Options; events: Proposed[] }
    >();
    call.on('data', (request: streamsPb.BatchAppendReq) => {
      const correlation = request.getCorrelationId();
      const key = correlation?.getString() ?? '';
      let batch = pending.get(key);
      if (request.hasOptions()) {
        const options = request.getOptions()!;
        batch = { name: streamName(options.getStreamIdentifier()), options, events: [] };
        pending.set(key, batch);
      }
      const response = new streamsPb.BatchAppendResp();
      if (correlation) response.setCorrelationId(correlation);
      if (!batch) {
        response.setError(
          rpcStatus(
            status.INVALID_ARGUMENT,
            'batch without options',
            new sharedPb.BadRequest(),
            'event_store.client.BadRequest',
          ),
        );
        call.write(response);
        return;
      }
      try {
        for (const message of request.getProposedMessagesList()) batch.events.push(toProposed(message));
      } catch (error) {
        const bad = new sharedPb.BadRequest();
        bad.setMessage((error as Error).message);
        response.setError(
          rpcStatus(status.INVALID_ARGUMENT, bad.getMessage(), bad, 'event_store.client.BadRequest'),
        );
        pending.delete(key);
        call.write(response);
        return;
      }
      if (!request.getIsFinal()) return;
      pending.delete(key);
      response.setStreamIdentifier(streamIdentifier(batch.name));
      let outcome: AppendOutcome;
      try {
        const expected = expectedOfBatch(batch.options);
        outcome =
          batch.events.length === 0
            ? emptyAppend(batch.name)
            : log.append(batch.name, batch.events, expected);
        const e = expected;
        if (e.kind === 'revision') response.setStreamPosition(e.revision.toString());
        else if (e.kind === 'no_stream') response.setNoStream(new EmptyMessage());
        else if (e.kind === 'stream_exists') response.setStreamExists(new EmptyMessage());
        else response.setAny(new EmptyMessage());
      } catch (error) {
        const bad = new sharedPb.BadRequest();
        bad.setMessage((error as Error).message);
        response.setError(
          rpcStatus(status.INVALID_ARGUMENT, bad.getMessage(), bad, 'event_store.client.BadRequest'),
        );
        call.write(response);
        return;
      }
      switch (outcome.kind) {
        case 'stream_deleted': {
          const deleted = new sharedPb.StreamDeleted();
          deleted.setStreamIdentifier(streamIdentifier(batch.name));
          response.setError(
            rpcStatus(
              status.FAILED_PRECONDITION,
              `Event stream '${batch.name}' is deleted.`,
              deleted,
              'event_store.client.StreamDeleted',
            ),
          );
          break;
        }
        case 'wrong_expected_version':
          response.setError(
            rpcStatus(
              status.FAILED_PRECONDITION,
              'Wrong expected version.',
              sharedWrongExpectedVersion(outcome.current, outcome.expected),
              'event_store.client.WrongExpectedVersion',
            ),
          );
          break;
        case 'success': {
          const success = new streamsPb.BatchAppendResp.Success();
          if (outcome.revision < 0n) success.setNoStream(new EmptyMessage());
          else success.setCurrentRevision(outcome.revision.toString());
          const position = new sharedPb.AllStreamPosition();
          position.setCommitPosition(outcome.position.commit.toString());
          position.setPreparePosition(outcome.position.prepare.toString());
          success.setPosition(position);
          response.setSuccess(success);
          break;
        }
      }
      call.write(response);
    });
    call.on('end', () => {
      call.end();
      done();
    });
  };

  const deletion =
    (kind: 'delete' | 'tombstone') =>
    (
      call: ServerUnaryCall<
        streamsPb.DeleteReq | streamsPb.TombstoneReq,
        streamsPb.DeleteResp | streamsPb.TombstoneResp
      >,
      callback: sendUnaryData<streamsPb.DeleteResp | streamsPb.TombstoneResp>,
    ) => {
      const options = call.request.getOptions();
      if (!options) return callback(serverError(status.INVALID_ARGUMENT, 'delete without options'));
      const name = streamName(options.getStreamIdentifier());
      const expected = expectedOfDelete(options);
      const outcome = kind === 'delete' ? log.softDelete(name, expected) : log.tombstone(name, expected);
      if (outcome.kind === 'stream_deleted') return callback(streamDeletedError(name));
      if (outcome.kind === 'wrong_expected_version') {
        const actual = outcome.current === 'no_stream' ? '-1' : outcome.current.toString();
        return callback(
          serverError(status.FAILED_PRECONDITION, 'Wrong expected version.', {
            exception: 'wrong-expected-version',
            'stream-name': name,
            'expected-version': expectedText(expected),
            'actual-version': actual,
          }),
        );
      }
      const { commit, prepare } = outcome.position;
      if (kind === 'delete') {
        const position = new streamsPb.DeleteResp.Position();
        position.setCommitPosition(commit.toString()).setPreparePosition(prepare.toString());
        return callback(null, new streamsPb.DeleteResp().setPosition(position));
      }
      const position = new streamsPb.TombstoneResp.Position();
      position.setCommitPosition(commit.toString()).setPreparePosition(prepare.toString());
      callback(null, new streamsPb.TombstoneResp().setPosition(position));
    };

  const requests: Record<string, number> = {};
  const counted =
    <A extends unknown[]>(name: string, handler: (...args: A) => void) =>
    (...args: A) => {
      requests[name] = (requests[name] ?? 0) + 1;
      handler(...args);
    };
  server.addService(streamsGrpc.StreamsService, {
    read: counted('read', read),
    append: counted('append', append),
    batchAppend: counted(
      'batchAppend',
      (call: ServerDuplexStream<streamsPb.BatchAppendReq, streamsPb.BatchAppendResp>) =>
        batchAppend
          ? batchAppendCall(call)
          : call.emit(
              'error',
              serverError(status.UNIMPLEMENTED, 'BatchAppend is not offered by this server'),
            ),
    ),
    delete: counted('delete', deletion('delete')),
    tombstone: counted('tombstone', deletion('tombstone')),
  });
  server.addService(serverFeaturesGrpc.ServerFeaturesService, {
    getSupportedMethods: (
      _call: ServerUnaryCall<sharedPb.Empty, serverFeaturesPb.SupportedMethods>,
      callback: sendUnaryData<serverFeaturesPb.SupportedMethods>,
    ) => callback(null, supportedMethods(version, batchAppend)),
  });

  // gRPC listens on a private port behind a TCP relay on the public one, which sees (and can
  // cut) every client connection.
  const host = options.host ?? '127.0.0.1';
  const grpcPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(grpcPort, '127.0.0.1');
    sockets.add(client);
    const close = () => {
      sockets.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  });
  const port = await new Promise<number>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(options.port ?? 0, host, () => resolve((relay.address() as net.AddressInfo).port));
  });

  const double: EventStoreDouble = {
    url: `esdb://${host}:${port}?tls=false`,
    port,
    log,
    denyReads: false,
    stallReads: false,
    connections: () => sockets.size,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    subscriptionStarts: [],
    allEventsSent: settings.sent,
    get droppedSubscriptions() {
      return settings.dropped.count;
    },
    get fellBehind() {
      return settings.fellBehind.count;
    },
    openCalls: () => calls.size,
    requests,
    stop: async () => {
      for (const call of calls) call.cancel();
      await new Promise<void>((resolve) => {
        relay.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
  return double;
};

const EmptyMessage = sharedPb.Empty as unknown as new () => never;

const expectedText = (expected: ReturnType<typeof expectedOfDelete>): string =>
  expected.kind === 'revision'
    ? expected.revision.toString()
    : expected.kind === 'no_stream'
      ? '-1'
      : expected.kind === 'stream_exists'
        ? '-4'
        : '-2';
