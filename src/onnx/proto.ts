/**
 * ONNX protobuf, read and write, over protobufjs and the official onnx.proto (loaded from the
 * generated JSON descriptor, so it works in the browser and never touches the file system).
 * Messages are plain objects with protobufjs' camelCase field names (`opType`, `rawData`);
 * int64 fields are numbers. The exporter writes these; the importer reads them.
 */
import protobuf from 'protobufjs/light.js';
import { DataError } from '../core/errors.js';
import { ONNX_DESCRIPTOR } from './descriptor.js';
import { numel } from '../core/numel.js';
import { messages } from '../core/messages.js';

const root = protobuf.Root.fromJSON(ONNX_DESCRIPTOR as unknown as protobuf.INamespace);
const ModelType = root.lookupType('onnx.ModelProto');

const enumValues = <K extends string>(path: string): Readonly<Record<K, number>> =>
  root.lookupEnum(path).values as Readonly<Record<K, number>>;

type DataTypeName =
  | 'UNDEFINED' | 'FLOAT' | 'UINT8' | 'INT8' | 'UINT16' | 'INT16' | 'INT32' | 'INT64' | 'STRING' | 'BOOL'
  | 'FLOAT16' | 'DOUBLE' | 'UINT32' | 'UINT64' | 'BFLOAT16';
type AttributeTypeName = 'UNDEFINED' | 'FLOAT' | 'INT' | 'STRING' | 'TENSOR' | 'GRAPH' | 'FLOATS' | 'INTS' | 'STRINGS' | 'TENSORS' | 'GRAPHS';

/** TensorProto.DataType codes, read from onnx.proto. */
export const DataType = enumValues<DataTypeName>('onnx.TensorProto.DataType');
/** AttributeProto.AttributeType codes, read from onnx.proto. */
export const AttributeType = enumValues<AttributeTypeName>('onnx.AttributeProto.AttributeType');

// The message interfaces below mirror onnx.proto for the fields convlab reads and writes.

/** onnx.StringStringEntryProto. */
export interface StringStringEntryProto {
  key: string;
  value: string;
}

/** onnx.TensorProto. */
export interface TensorProto {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  uint64Data?: number[];
  externalData?: StringStringEntryProto[];
  dataLocation?: number;
  docString?: string;
}

/** onnx.AttributeProto. */
export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  docString?: string;
}

/** onnx.NodeProto. */
export interface NodeProto {
  name?: string;
  opType: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute?: AttributeProto[];
  docString?: string;
}

/** onnx.TensorShapeProto.Dimension: a size or a symbolic name. */
export interface TensorShapeDim {
  dimValue?: number;
  dimParam?: string;
}

/** onnx.TypeProto. */
export interface TypeProto {
  tensorType?: { elemType: number; shape?: { dim: TensorShapeDim[] } };
}

/** onnx.ValueInfoProto. */
export interface ValueInfoProto {
  name: string;
  type?: TypeProto;
  docString?: string;
}

/** onnx.GraphProto. */
export interface GraphProto {
  name?: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
  docString?: string;
}

/** onnx.OperatorSetIdProto. */
export interface OperatorSetIdProto {
  domain?: string;
  version: number;
}

/** onnx.ModelProto. */
export interface ModelProto {
  irVersion: number;
  opsetImport: OperatorSetIdProto[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph: GraphProto;
  metadataProps?: StringStringEntryProto[];
}

/** Serializes a model. Throws a plain Error on a malformed message: that is an exporter bug. */
export function encodeModel(model: ModelProto): Uint8Array {
  const problem = ModelType.verify(model);
  if (problem) throw new Error(`ONNX model does not fit onnx.proto: ${problem}`);
  const bytes = ModelType.encode(model).finish();
  // protobufjs returns a Buffer in Node; callers get the same plain Uint8Array as in a browser.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** What a session needs of a model file without decoding its tensors: the node names and the metadata. */
export interface ModelOutline {
  nodeNames: string[];
  metadata: Record<string, string>;
}

const fieldId = (type: string, field: string): number => root.lookupType(type).fields[field]!.id;
const LENGTH_DELIMITED = 2;

/**
 * Reads a model's node names and metadata, skipping every other field (initializers above all),
 * so a 100 MB file is outlined in the time of a scan instead of a full decode.
 */
export function outlineModel(bytes: Uint8Array, source = 'model'): ModelOutline {
  if (bytes.length === 0) throw new DataError(messages.emptyFile(source));
  const [graphField, metaField] = [fieldId('onnx.ModelProto', 'graph'), fieldId('onnx.ModelProto', 'metadataProps')];
  const [nodeField, nameField] = [fieldId('onnx.GraphProto', 'node'), fieldId('onnx.NodeProto', 'name')];
  const Entry = root.lookupType('onnx.StringStringEntryProto');
  const reader = protobuf.Reader.create(bytes);
  const out: ModelOutline = { nodeNames: [], metadata: {} };
  /** Calls `each(field, wireType)` for every field up to `end`; `each` reads the field or returns false to have it skipped. */
  const fields = (end: number, each: (field: number, wire: number) => boolean): void => {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (!each(tag >>> 3, tag & 7)) reader.skipType(tag & 7);
    }
  };
  try {
    fields(bytes.length, (field, wire) => {
      if (wire !== LENGTH_DELIMITED) return false;
      if (field === metaField) {
        const entry = Entry.toObject(Entry.decode(reader, reader.uint32())) as StringStringEntryProto;
        out.metadata[entry.key] = entry.value;
        return true;
      }
      if (field !== graphField) return false;
      fields(reader.uint32() + reader.pos, (gField, gWire) => {
        if (gField !== nodeField || gWire !== LENGTH_DELIMITED) return false;
        fields(reader.uint32() + reader.pos, (nField, nWire) => {
          if (nField !== nameField || nWire !== LENGTH_DELIMITED) return false;
          const name = reader.string();
          if (name) out.nodeNames.push(name);
          return true;
        });
        return true;
      });
      return true;
    });
  } catch (e) {
    const detail = e instanceof RangeError ? 'the data ends inside a field (truncated file?)' : (e as Error).message;
    throw new DataError(messages.undecodable(source, Math.min(reader.pos, bytes.length), bytes.length, detail));
  }
  return out;
}

/**
 * Parses ONNX bytes. Truncated or corrupt input throws a DataError naming the source and the
 * byte offset where decoding stopped; bytes that decode but lack a graph or versions are refused too.
 */
export function decodeModel(bytes: Uint8Array, source = 'model'): ModelProto {
  if (bytes.length === 0) throw new DataError(messages.emptyFile(source));
  const reader = protobuf.Reader.create(bytes);
  let message: protobuf.Message;
  try {
    message = ModelType.decode(reader);
  } catch (e) {
    const detail = e instanceof RangeError ? 'the data ends inside a field (truncated file?)' : (e as Error).message;
    throw new DataError(messages.undecodable(source, Math.min(reader.pos, bytes.length), bytes.length, detail));
  }
  const model = ModelType.toObject(message, { longs: Number, enums: Number, arrays: true, defaults: false }) as ModelProto;
  if (!model.graph) throw new DataError(messages.notAModel(source, 'it has no graph'));
  if (!(model.irVersion > 0)) throw new DataError(messages.notAModel(source, 'it has no ir_version'));
  if (model.opsetImport.length === 0) throw new DataError(messages.notAModel(source, 'it imports no operator set'));
  return model;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes of a typed array in little-endian order, as raw_data requires. */
function rawBytes(data: Float32Array | BigInt64Array): Uint8Array {
  if (littleEndian) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((x, i) => view.setFloat32(i * 4, x, true));
  else data.forEach((x, i) => view.setBigInt64(i * 8, x, true));
  return out;
}

/** A float32 tensor stored as raw_data. */
export function floatTensor(name: string, dims: number[], data: Float32Array, docString?: string): TensorProto {
  const t: TensorProto = { name, dims: [...dims], dataType: DataType.FLOAT, rawData: rawBytes(data) };
  if (docString) t.docString = docString;
  return t;
}

/** An int64 tensor stored as raw_data (shapes, pads, slice bounds). */
export function int64Tensor(name: string, dims: number[], values: readonly number[]): TensorProto {
  return { name, dims: [...dims], dataType: DataType.INT64, rawData: rawBytes(BigInt64Array.from(values, (v) => BigInt(v))) };
}

/** Reads a float, double or integer tensor as float32 values; external data is refused. */
export function tensorToFloat32(t: TensorProto, source = 'model'): Float32Array {
  const count = numel(t.dims ?? []);
  const name = t.name ?? '(unnamed)';
  if (t.dataLocation === 1 || (t.externalData && t.externalData.length > 0)) throw new DataError(messages.externalData(source, name));
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const out = new Float32Array(count);
  const need = (width: number) => {
    if (raw && raw.length !== count * width) throw new DataError(messages.tensorSize(source, name, count * width, raw.length));
  };
  switch (t.dataType) {
    case DataType.FLOAT:
      need(4);
      if (view) for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      else out.set(fromField(t.floatData, count, source, name));
      return out;
    case DataType.DOUBLE:
      need(8);
      if (view) for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      else out.set(fromField(t.doubleData, count, source, name));
      return out;
    case DataType.INT64:
      need(8);
      if (view) for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true));
      else out.set(fromField(t.int64Data, count, source, name));
      return out;
    case DataType.INT32:
      need(4);
      if (view) for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      else out.set(fromField(t.int32Data, count, source, name));
      return out;
    default:
      throw new DataError(messages.tensorType(source, name, t.dataType ?? 0));
  }
}

function fromField(values: number[] | undefined, count: number, source: string, name: string): number[] {
  const v = values ?? [];
  if (v.length !== count) throw new DataError(messages.tensorSize(source, name, count, v.length));
  return v;
}

/** Attribute builders: the type discriminator is always set, as IR version 2+ requires. */
export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  float: (name: string, f: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f }),
  floats: (name: string, floats: readonly number[]): AttributeProto => ({ name, type: AttributeType.FLOATS, floats: [...floats] }),
  string: (name: string, s: string): AttributeProto => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) }),
  tensor: (name: string, t: TensorProto): AttributeProto => ({ name, type: AttributeType.TENSOR, t }),
};

/** A node's attribute value by name, decoded by its type; undefined when absent. */
export function readAttr(node: NodeProto, name: string): number | number[] | string | string[] | TensorProto | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) return undefined;
  switch (a.type) {
    case AttributeType.INT: return a.i ?? 0;
    case AttributeType.FLOAT: return a.f ?? 0;
    case AttributeType.INTS: return a.ints ?? [];
    case AttributeType.FLOATS: return a.floats ?? [];
    case AttributeType.STRING: return new TextDecoder().decode(a.s ?? new Uint8Array());
    case AttributeType.STRINGS: return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
    case AttributeType.TENSOR: return a.t;
    default: return undefined;
  }
}

/** A float tensor value-info with a symbolic or fixed shape. */
export function tensorInfo(name: string, dims: ReadonlyArray<number | string>, elemType: number = DataType.FLOAT): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

/** Dimensions of a value-info: numbers, or the symbolic name for free dimensions. */
export function infoDims(info: ValueInfoProto): Array<number | string> {
  return (info.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue > 0 ? d.dimValue : d.dimParam ?? '?'));
}

/** The model's metadata_props as a plain record. */
export function metadataOf(model: ModelProto): Record<string, string> {
  return Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key, p.value]));
}
