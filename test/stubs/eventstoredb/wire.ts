/**
 * Protocol messages of the EventStoreDB double, built with the generated classes that the
 * client package ships, so both ends of the wire share one schema.
 */
import { createRequire } from 'node:module';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import { Metadata, status } from '@grpc/grpc-js';
import type { Expected, LogPosition, LogRecord, Proposed } from './log.ts';

type AnyMessage = { pack(bytes: Uint8Array, typeName: string): void };
const require = createRequire(import.meta.url);
const { Any } = require('google-protobuf/google/protobuf/any_pb.js') as { Any: new () => AnyMessage };

/** What servers before 22.6 put in a stream read's event positions: −1/−1 as unsigned. */
export const NO_POSITION = (2n ** 64n - 1n).toString();

export const uuidString = (uuid: sharedPb.UUID | undefined): string => {
  if (!uuid) throw new Error('event without an id');
  if (uuid.hasString()) return uuid.getString();
  const s = uuid.getStructured()!;
  const hex =
    BigInt.asUintN(64, BigInt(s.getMostSignificantBits())).toString(16).padStart(16, '0') +
    BigInt.asUintN(64, BigInt(s.getLeastSignificantBits())).toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const streamName = (identifier: sharedPb.StreamIdentifier | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

export const streamIdentifier = (name: string) => {
  const id = new sharedPb.StreamIdentifier();
  id.setStreamName(Buffer.from(name, 'utf8'));
  return id;
};

type ProposedMessage = streamsPb.AppendReq.ProposedMessage | streamsPb.BatchAppendReq.ProposedMessage;

export const toProposed = (message: ProposedMessage): Proposed => {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (!type || !contentType) throw new ProtocolError('a proposed event needs "type" and "content-type"');
  return {
    id: uuidString(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
};

export class ProtocolError extends Error {}

const revisionOf = (text: string): bigint => {
  const revision = BigInt(text);
  if (revision < 0n) throw new ProtocolError(`not a revision: ${text}`);
  return revision;
};

export const expectedOfAppend = (options: streamsPb.AppendReq.Options): Expected => {
  const Case = streamsPb.AppendReq.Options.ExpectedStreamRevisionCase;
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.REVISION:
      return { kind: 'revision', revision: revisionOf(options.getRevision()) };
    case Case.NO_STREAM:
      return { kind: 'no_stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
};

export const expectedOfBatch = (options: streamsPb.BatchAppendReq.Options): Expected => {
  const Case = streamsPb.BatchAppendReq.Options.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case Case.STREAM_POSITION:
      return { kind: 'revision', revision: revisionOf(options.getStreamPosition()) };
    case Case.NO_STREAM:
      return { kind: 'no_stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
};

type DeleteOptions = streamsPb.DeleteReq.Options | streamsPb.TombstoneReq.Options;
export const expectedOfDelete = (options: DeleteOptions): Expected => {
  if (options.hasRevision()) return { kind: 'revision', revision: revisionOf(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
};

const recordedEvent = (record: LogRecord, legacyPositions: boolean) => {
  const event = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
  const id = new sharedPb.UUID();
  id.setString(record.id);
  event.setId(id);
  event.setStreamIdentifier(streamIdentifier(record.streamId));
  event.setStreamRevision(record.revision.toString());
  event.setCommitPosition(legacyPositions ? NO_POSITION : record.commit.toString());
  event.setPreparePosition(legacyPositions ? NO_POSITION : record.prepare.toString());
  const metadata = event.getMetadataMap();
  metadata.set('type', record.type);
  metadata.set('content-type', record.contentType);
  metadata.set('created', record.created.toString());
  event.setData(record.data);
  event.setCustomMetadata(record.metadata);
  return event;
};

/**
 * One event of a read. `fromStream`: read from a stream, where servers before 22.6 know no
 * position (−1/−1 in the record, no position in the envelope).
 */
export const eventResponse = (record: LogRecord, { legacyPositions = false, fromStream = false } = {}) => {
  const readEvent = new streamsPb.ReadResp.ReadEvent();
  const legacy = legacyPositions && fromStream;
  readEvent.setEvent(recordedEvent(record, legacy));
  if (legacy) readEvent.setNoPosition(new sharedPb.Empty());
  else readEvent.setCommitPosition(record.commit.toString());
  const response = new streamsPb.ReadResp();
  response.setEvent(readEvent);
  return response;
};

export const confirmationResponse = (subscriptionId: string) => {
  const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(subscriptionId);
  const response = new streamsPb.ReadResp();
  response.setConfirmation(confirmation);
  return response;
};

export const checkpointResponse = (position: LogPosition) => {
  const checkpoint = new streamsPb.ReadResp.Checkpoint();
  checkpoint.setCommitPosition(position.commit.toString());
  checkpoint.setPreparePosition(position.prepare.toString());
  const response = new streamsPb.ReadResp();
  response.setCheckpoint(checkpoint);
  return response;
};

export const caughtUpResponse = () => {
  const response = new streamsPb.ReadResp();
  response.setCaughtUp(new streamsPb.ReadResp.CaughtUp());
  return response;
};

export const fellBehindResponse = () => {
  const response = new streamsPb.ReadResp();
  response.setFellBehind(new streamsPb.ReadResp.FellBehind());
  return response;
};

export const streamNotFoundResponse = (name: string) => {
  const notFound = new streamsPb.ReadResp.StreamNotFound();
  notFound.setStreamIdentifier(streamIdentifier(name));
  const response = new streamsPb.ReadResp();
  response.setStreamNotFound(notFound);
  return response;
};

export const appendPosition = (position: LogPosition) => {
  const p = new streamsPb.AppendResp.Position();
  p.setCommitPosition(position.commit.toString());
  p.setPreparePosition(position.prepare.toString());
  return p;
};

/** A gRPC error as the server raises it: a status, a message and the `exception` trailer. */
export type ServerError = { code: status; details: string; metadata: Metadata };

export const serverError = (code: status, details: string, trailers: Record<string, string> = {}) => {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return { code, details, metadata } satisfies ServerError;
};

export const streamDeletedError = (name: string) =>
  serverError(status.FAILED_PRECONDITION, `Event stream '${name}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': name,
  });

export const accessDeniedError = () =>
  serverError(status.PERMISSION_DENIED, 'Access Denied', { exception: 'access-denied' });

export const invalidPositionError = () =>
  serverError(status.INVALID_ARGUMENT, 'Trying to read from an invalid position.');

/** The expected and current revisions of a refused append, in the shared error detail. */
export const sharedWrongExpectedVersion = (current: bigint | 'no_stream', expected: Expected) => {
  const detail = new sharedPb.WrongExpectedVersion();
  if (current === 'no_stream') detail.setCurrentNoStream(new sharedPb.Empty());
  else detail.setCurrentStreamRevision(current.toString());
  switch (expected.kind) {
    case 'revision':
      detail.setExpectedStreamPosition(expected.revision.toString());
      break;
    case 'no_stream':
      detail.setExpectedNoStream(new sharedPb.Empty());
      break;
    case 'stream_exists':
      detail.setExpectedStreamExists(new sharedPb.Empty());
      break;
    case 'any':
      detail.setExpectedAny(new sharedPb.Empty());
      break;
  }
  return detail;
};

/** A google.rpc.Status carrying one detail message, as BatchAppend reports failures. */
export const rpcStatus = (
  code: number,
  message: string,
  detail: { serializeBinary(): Uint8Array },
  typeName: string,
) => {
  const any = new Any();
  any.pack(detail.serializeBinary(), typeName);
  const result = new statusPb.Status();
  result.setCode(code);
  result.setMessage(message);
  result.setDetails(any as never);
  return result;
};
