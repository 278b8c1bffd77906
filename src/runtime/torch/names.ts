/**
 * Python names for convlab's node names. The generated module keeps each node's name as its
 * attribute (`self.conv2_block1_1_conv`) and as the variable of its output, so the source reads
 * like the spec; names Python or nn.Module already use get a trailing underscore.
 */

/** Python keywords (hard and soft). */
const KEYWORDS = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_',
];

/** Attributes of nn.Module (PyTorch 1.13 to 2.x): a submodule of that name would shadow them. */
const MODULE_ATTRIBUTES = [
  'T_destination', 'add_module', 'apply', 'bfloat16', 'buffers', 'call_super_init', 'children', 'compile', 'cpu', 'cuda',
  'double', 'dump_patches', 'eval', 'extra_repr', 'float', 'forward', 'get_buffer', 'get_extra_state', 'get_parameter',
  'get_submodule', 'half', 'ipu', 'load_state_dict', 'modules', 'mtia', 'named_buffers', 'named_children', 'named_modules',
  'named_parameters', 'parameters', 'register_backward_hook', 'register_buffer', 'register_forward_hook',
  'register_forward_pre_hook', 'register_full_backward_hook', 'register_full_backward_pre_hook',
  'register_load_state_dict_post_hook', 'register_load_state_dict_pre_hook', 'register_module', 'register_parameter',
  'register_state_dict_post_hook', 'register_state_dict_pre_hook', 'requires_grad_', 'set_extra_state', 'set_submodule',
  'share_memory', 'smart_apply', 'state_dict', 'to', 'to_empty', 'train', 'training', 'xpu', 'zero_grad',
];

/** Names the generated code itself uses: modules it imports, `self`, and the logits switch. */
const GENERATED = ['self', 'torch', 'nn', 'F', 'math', 'return_logits'];

const RESERVED = new Set([...KEYWORDS, ...MODULE_ATTRIBUTES, ...GENERATED]);

/** Assigns each convlab name one distinct Python identifier, as close to the name as Python allows. */
export class PythonNames {
  private readonly byName = new Map<string, string>();
  private readonly taken = new Set<string>();

  /** The identifier of `name`, assigned on first use. */
  of(name: string): string {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    let id = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (id === '' || /^[0-9]/.test(id)) id = `n_${id}`;
    if (RESERVED.has(id)) id = `${id}_`;
    let unique = id;
    for (let k = 2; this.taken.has(unique) || RESERVED.has(unique); k++) unique = `${id}_${k}`;
    this.taken.add(unique);
    this.byName.set(name, unique);
    return unique;
  }
}

/** A class name from a model name: `resnet50_v2` → `Resnet50V2`. */
export function className(model: string): string {
  const words = model.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  if (name === '' || /^[0-9]/.test(name)) return `Model${name}`;
  return RESERVED.has(name) ? `${name}Model` : name;
}
