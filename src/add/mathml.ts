// Extraction, Markdown side: a MathML formula -> the TeX that quire's `$…$` math reads. The TeX the page
// itself gives (an `alttext`, a TeX annotation) is taken as it is; otherwise the common presentation
// elements are written as TeX, and anything else as its text.

interface MathNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<MathNode>;
  getAttribute?(name: string): string | null;
}

/** The TeX of a <math> element, and whether it is displayed on its own line. */
export function mathToTex(math: MathNode): { tex: string; display: boolean } {
  const display = math.getAttribute?.('display') === 'block' || math.getAttribute?.('mode') === 'display';
  const alt = math.getAttribute?.('alttext')?.trim();
  if (alt) return { tex: cleanTex(alt), display };
  const annotation = findAnnotation(math);
  if (annotation) return { tex: cleanTex(annotation), display };
  return { tex: cleanTex(toTex(math)), display };
}

function cleanTex(tex: string): string {
  // `\displaystyle` wrappers and surrounding delimiters some pages keep in alttext.
  return tex
    .replace(/^\s*(\\\(|\\\[|\$\$?)/, '')
    .replace(/(\\\)|\\\]|\$\$?)\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function findAnnotation(node: MathNode): string | undefined {
  for (const child of children(node)) {
    if (name(child) === 'annotation' && /tex/i.test(child.getAttribute?.('encoding') ?? '')) return child.textContent ?? undefined;
    const inner = findAnnotation(child);
    if (inner) return inner;
  }
  return undefined;
}

function children(node: MathNode): MathNode[] {
  return Array.from(node.childNodes).filter((c) => c.nodeType === 1);
}

function name(node: MathNode): string {
  return node.nodeName.toLowerCase().replace(/^m:/, '');
}

const OPERATORS: Record<string, string> = {
  '≠': '\\neq ', '≤': '\\leq ', '≥': '\\geq ', '±': '\\pm ', '∓': '\\mp ', '×': '\\times ', '÷': '\\div ', '·': '\\cdot ', '⋅': '\\cdot ',
  '−': '-', '∞': '\\infty ', '→': '\\to ', '←': '\\leftarrow ', '⇒': '\\Rightarrow ', '⇔': '\\Leftrightarrow ', '∈': '\\in ', '∉': '\\notin ',
  '⊂': '\\subset ', '⊆': '\\subseteq ', '∪': '\\cup ', '∩': '\\cap ', '∑': '\\sum ', '∏': '\\prod ', '∫': '\\int ', '⋃': '\\bigcup ', '⋂': '\\bigcap ', '√': '\\surd ',
  '≈': '\\approx ', '≡': '\\equiv ', '∝': '\\propto ', '∂': '\\partial ', '∇': '\\nabla ', '∀': '\\forall ', '∃': '\\exists ', '…': '\\ldots ',
  '⋯': '\\cdots ', '{': '\\{', '}': '\\}', '⁡': '', '⁢': '', '⁣': '', '⁤': '',
};
const GREEK = 'αalpha βbeta γgamma δdelta εepsilon ζzeta ηeta θtheta ιiota κkappa λlambda μmu νnu ξxi πpi ρrho σsigma τtau υupsilon φphi χchi ψpsi ωomega ΓGamma ΔDelta ΘTheta ΛLambda ΞXi ΠPi ΣSigma ΦPhi ΨPsi ΩOmega';
for (const entry of GREEK.split(' ')) OPERATORS[entry[0]!] = `\\${entry.slice(1)} `;

function symbols(text: string): string {
  let out = '';
  for (const ch of text.trim()) out += OPERATORS[ch] ?? (/[#$%&_^\\]/.test(ch) ? `\\${ch}` : ch);
  return out;
}

/** The accents an `<mover>` puts over its base, as TeX's commands: `ẋ` is `\\dot{x}`, not a dot above it as a limit. */
const ACCENTS: Record<string, string> = {
  '˙': '\\dot', '\u0307': '\\dot', '¨': '\\ddot', '\u0308': '\\ddot', '→': '\\vec', '\u20d7': '\\vec', '^': '\\hat', 'ˆ': '\\hat', '\u0302': '\\hat',
  '¯': '\\bar', '‾': '\\overline', '\u0304': '\\bar', '~': '\\tilde', '˜': '\\tilde', '\u0303': '\\tilde', '˘': '\\breve', 'ˇ': '\\check', '⏞': '\\overbrace', '←': '\\overleftarrow',
};
const UNDER_ACCENTS: Record<string, string> = { '_': '\\underline', '‾': '\\underline', '¯': '\\underline', '\u0332': '\\underline', '⏟': '\\underbrace' };

function accentOf(node: MathNode | undefined, accents: Record<string, string>): string | undefined {
  if (!node || name(node) !== 'mo') return undefined;
  return accents[(node.textContent ?? '').trim()];
}

/** A base that takes its limits below and above it in a displayed formula (`\\sum_{k=1}^{n}`): its TeX, unbraced. */
function bigOperator(node: MathNode | undefined): string | undefined {
  if (!node) return undefined;
  const tex = toTex(node).trim();
  const plain = tex.replace(/^\\mathrm\{(lim|max|min|sup|inf|det|gcd)\}$/, '\\$1');
  return /^\\(?:sum|prod|coprod|int|iint|oint|bigcup|bigcap|bigoplus|bigotimes|lim|max|min|sup|inf|det|gcd) ?$/.test(plain) ? plain.trim() : undefined;
}

/** An argument, always braced: `\\frac{n}{k}`, never `\\fracnk`. */
function group(node: MathNode | undefined): string {
  return `{${node ? toTex(node).trim() : ''}}`;
}

/** Presentation MathML -> TeX, for the elements formulas are made of. */
export function toTex(node: MathNode): string {
  if (node.nodeType === 3) return symbols(node.textContent ?? '');
  if (node.nodeType !== 1) return '';
  const c = children(node);
  switch (name(node)) {
    case 'mi':
    case 'mo': {
      // A word is upright, an identifier's (`sin`) or an operator's (`<mo>lim</mo>`, which was italic).
      const t = symbols(node.textContent ?? '');
      const plain = (node.textContent ?? '').trim();
      return plain.length > 1 && /^[A-Za-z]+$/.test(plain) ? `\\mathrm{${plain}}` : t;
    }
    case 'mn':
      return symbols(node.textContent ?? '');
    case 'mtext':
    case 'ms':
      return `\\text{${(node.textContent ?? '').replace(/[{}\\$]/g, '')}}`;
    case 'mspace':
      return '\\ ';
    case 'msup':
      return `${group(c[0])}^${group(c[1])}`;
    case 'msub':
      return `${group(c[0])}_${group(c[1])}`;
    case 'msubsup':
      return `${group(c[0])}_${group(c[1])}^${group(c[2])}`;
    case 'munder': {
      const under = accentOf(c[1], UNDER_ACCENTS);
      if (under) return `${under}${group(c[0])}`;
      const big = bigOperator(c[0]);
      return big ? `${big}_${group(c[1])}` : `\\underset${group(c[1])}${group(c[0])}`;
    }
    case 'mover': {
      const accent = accentOf(c[1], ACCENTS);
      if (accent) return `${accent}${group(c[0])}`;
      const big = bigOperator(c[0]);
      return big ? `${big}^${group(c[1])}` : `\\overset${group(c[1])}${group(c[0])}`;
    }
    case 'munderover':
      return `${bigOperator(c[0]) ?? group(c[0])}_${group(c[1])}^${group(c[2])}`;
    case 'mfrac':
      // A fraction without its bar is a binomial coefficient's or a stack's (`\\binom`'s inside its brackets).
      if (/^0(?:\.0*)?(?:px|pt|em|ex)?$/.test((node.getAttribute?.('linethickness') ?? '').trim())) return `\\genfrac{}{}{0pt}{}${group(c[0])}${group(c[1])}`;
      return `\\frac${group(c[0])}${group(c[1])}`;
    case 'msqrt':
      return `\\sqrt{${c.map(toTex).join('')}}`;
    case 'mroot':
      return `\\sqrt[${toTex(c[1]!)}]{${toTex(c[0]!)}}`;
    case 'mfenced': {
      const open = node.getAttribute?.('open') ?? '(';
      const close = node.getAttribute?.('close') ?? ')';
      return `\\left${open === '{' ? '\\{' : open || '.'}${c.map(toTex).join(',')}\\right${close === '}' ? '\\}' : close || '.'}`;
    }
    case 'mtable':
      return `\\begin{matrix}${c.map(toTex).join('\\\\')}\\end{matrix}`;
    case 'mtr':
    case 'mlabeledtr':
      return c.map(toTex).join('&');
    case 'semantics':
      return c[0] ? toTex(c[0]) : '';
    case 'annotation':
    case 'annotation-xml':
    case 'none':
    case 'mprescripts':
      return '';
    default:
      return Array.from(node.childNodes).map(toTex).join('');
  }
}
