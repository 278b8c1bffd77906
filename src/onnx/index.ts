/** The ONNX protobuf codec the importer and the exporter share: decode, encode, tensors, attributes, metadata. */
export * from './proto.js';
