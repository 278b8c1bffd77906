/** convlab's custom tfjs layers, registered for (de)serialization from this list. */
import * as tf from '@tensorflow/tfjs';
import { HardActivation } from './activation.js';
import { ConvlabConv2D, ConvlabDepthwiseConv2D } from './conv.js';
import { LocalResponseNorm, Normalization, ScaledAdd } from './elementwise.js';
import { GlobalPoolKeepDims, WindowPool2D } from './pool.js';
import { ConvlabConv2DTranspose } from './conv_transpose.js';
import { AdaptiveAvgPool2D, BorderPad2D, ChannelSlice, ConstantPad2D, ConvlabResize } from './resample.js';

export const CUSTOM_LAYERS = [
  HardActivation, ConvlabConv2D, ConvlabDepthwiseConv2D, WindowPool2D, GlobalPoolKeepDims,
  ScaledAdd, LocalResponseNorm, Normalization, ConvlabConv2DTranspose, ConvlabResize, AdaptiveAvgPool2D, ConstantPad2D, BorderPad2D, ChannelSlice,
] as const;

let registered = false;

/** Registers every custom layer class so tf.loadLayersModel can rebuild saved models. */
export function registerCustomLayers(): void {
  if (registered) return;
  registered = true;
  for (const cls of CUSTOM_LAYERS) tf.serialization.registerClass(cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
}
