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
    """Average pooling nn.AvgPool2d cannot do (uneven padding, more than half the window, or
    dilation): pads with zeros, sums each window's taps and divides by the taps convlab counts
    there, the input's alone or with the declared padding; the reach ceil mode adds never counts.
    A dilated window is summed by a depthwise convolution with ones (F.avg_pool2d has no dilation)."""

    def __init__(self, kernel_size, stride, pads, reach, count_include_pad, size, dilation=(1, 1), channels=1):
        super().__init__()
        top, bottom, left, right = pads
        self.kernel_size, self.stride, self.dilation = kernel_size, stride, dilation
        self.pads = (left, right + reach[1], top, bottom + reach[0])
        counted = F.pad(torch.ones(1, 1, *size), (left, right, top, bottom), value=1.0 if count_include_pad else 0.0)
        counted = F.pad(counted, (0, reach[1], 0, reach[0]))
        taps = F.conv2d(counted, torch.ones(1, 1, *kernel_size), stride=stride, dilation=dilation)
        self.register_buffer("divisor", taps.clamp(min=1.0), persistent=False)
        self.register_buffer("ones", torch.ones(channels, 1, *kernel_size) if dilation != (1, 1) else torch.ones(0), persistent=False)

    def forward(self, x):
        x = F.pad(x, self.pads)
        if self.dilation == (1, 1):
            return F.avg_pool2d(x, self.kernel_size, self.stride, divisor_override=1) / self.divisor
        return F.conv2d(x, self.ones, stride=self.stride, dilation=self.dilation, groups=self.ones.shape[0]) / self.divisor
`,
  Resample: `
class Resample(nn.Module):
    """Resizing by taps convlab works out per output unit (any of its samplings):
    y = rows @ x @ cols^T, each matrix built from (output, input, weight) triples; outputs that
    a crop places past the map hold the extrapolation value (the fill buffer)."""

    def __init__(self, rows, cols, fill=None):
        super().__init__()
        self.register_buffer("rows", self.matrix(*rows), persistent=False)
        self.register_buffer("cols", self.matrix(*cols).t().contiguous(), persistent=False)
        self.register_buffer("fill", None if fill is None else self.filled(*fill), persistent=False)

    @staticmethod
    def matrix(size_in, size_out, at, index, weight):
        m = torch.zeros(size_out, size_in, dtype=torch.float64)
        values = torch.tensor(weight, dtype=torch.float64)
        m.index_put_((torch.tensor(at, dtype=torch.long), torch.tensor(index, dtype=torch.long)), values, accumulate=True)
        return m.float()

    @staticmethod
    def filled(value, rows_outside, cols_outside):
        r = torch.tensor(rows_outside, dtype=torch.bool)
        c = torch.tensor(cols_outside, dtype=torch.bool)
        return (r[:, None] | c[None, :]).float() * value

    def forward(self, x):
        y = torch.matmul(torch.matmul(self.rows, x), self.cols)
        return y if self.fill is None else y + self.fill
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
