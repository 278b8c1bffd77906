/** Python source text: literals and the helper modules a generated model may need. */

/** A number as Python reads it back exactly; floats keep 12 significant digits so 1 − 0.99 prints 0.01. */
export function num(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(12)));
}

/** A float literal: integers get `.0`, so the generated code shows which arguments are real. */
export const float = (x: number): string => (Number.isInteger(x) ? `${x}.0` : num(x));

/** A Python tuple of numbers: `(1, 2)`, `(5,)`. */
export const tuple = (xs: readonly number[]): string => (xs.length === 1 ? `(${num(xs[0]!)},)` : `(${xs.map(num).join(', ')})`);

/** A pair as PyTorch takes it: one number when both agree. */
export const pair = (a: number, b: number): string => (a === b ? num(a) : tuple([a, b]));

/** Helper modules emitted into a generated file only when its model uses them. */
export const HELPERS = {
  SeparableConv2d: `
class SeparableConv2d(nn.Module):
    """Keras' SeparableConv2D: a depthwise convolution, then a 1x1 convolution with the bias."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, depth_multiplier=1, bias=True):
        super().__init__()
        mid = in_channels * depth_multiplier
        self.depthwise = nn.Conv2d(in_channels, mid, kernel_size, stride, padding, dilation, groups=in_channels, bias=False)
        self.pointwise = nn.Conv2d(mid, out_channels, 1, bias=bias)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))
`,
  AvgPool2dPadded: `
class AvgPool2dPadded(nn.Module):
    """Average pooling with padding nn.AvgPool2d cannot take (uneven sides, or more than half the
    window): pads with zeros, sums each window and divides by the elements convlab counts there,
    the input's alone or with the declared padding; the reach ceil mode adds never counts."""

    def __init__(self, kernel_size, stride, pads, reach, count_include_pad, size):
        super().__init__()
        top, bottom, left, right = pads
        self.kernel_size, self.stride = kernel_size, stride
        self.pads = (left, right + reach[1], top, bottom + reach[0])
        counted = F.pad(torch.ones(1, 1, *size), (left, right, top, bottom), value=1.0 if count_include_pad else 0.0)
        counted = F.pad(counted, (0, reach[1], 0, reach[0]))
        self.register_buffer("divisor", F.avg_pool2d(counted, kernel_size, stride, divisor_override=1), persistent=False)

    def forward(self, x):
        return F.avg_pool2d(F.pad(x, self.pads), self.kernel_size, self.stride, divisor_override=1) / self.divisor
`,
  LocalResponseNorm: `
class LocalResponseNorm(nn.Module):
    """convlab's LRN for an even window: x / (bias + alpha * sum of squares)^beta over channels
    c - (size - 1) // 2 .. c + size // 2 (nn.LocalResponseNorm centres even windows the other way)."""

    def __init__(self, size, alpha, beta, bias):
        super().__init__()
        self.size, self.alpha, self.beta, self.bias = size, alpha, beta, bias

    def forward(self, x):
        squares = F.pad((x * x).unsqueeze(1), (0, 0, 0, 0, (self.size - 1) // 2, self.size // 2))
        sums = F.avg_pool3d(squares, (self.size, 1, 1), stride=1, divisor_override=1).squeeze(1)
        return x / (self.bias + self.alpha * sums) ** self.beta
`,
  Normalization: `
class Normalization(nn.Module):
    """Keras' Normalization: (x - mean) / max(sqrt(variance), 1e-7) per channel, with stored
    constants (buffers, not parameters)."""

    def __init__(self, channels, channel_dim):
        super().__init__()
        self.register_buffer("mean", torch.zeros(channels))
        self.register_buffer("variance", torch.ones(channels))
        self.register_buffer("count", torch.zeros(()))
        self.channel_dim = channel_dim

    def forward(self, x):
        shape = [1] * x.dim()
        shape[self.channel_dim] = -1
        std = torch.clamp(torch.sqrt(self.variance), min=1e-7)
        return (x - self.mean.view(shape)) / std.view(shape)
`,
} as const;
export type HelperName = keyof typeof HELPERS;
