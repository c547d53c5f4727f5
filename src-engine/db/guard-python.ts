/** The line-server guard's Python (PL/Python): JavaScript's JSON.stringify of a canonicalized value, the record digest and the Ed25519 station-signature check, byte for byte as src-engine/report/canonical.ts and signature.ts do them. */
import { createHash } from 'node:crypto'

/** Python source run once per session (cached in GD): `canonical_text`, `digest_text`, `js_number`, `js_double` and `refusal(text, plpy, SD)` (None or a refusal code); the C JSON encoder where its output is JavaScript's (no astral or surrogate text, numbers that print alike), the exact `canon` otherwise. Trusts nothing in the record text. */
export const GUARD_PYTHON_LIB = String.raw`
import json, hashlib, base64, re
from json.encoder import encode_basestring as _quote
from cryptography.hazmat.primitives.serialization import load_pem_public_key, Encoding, PublicFormat
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

CONTEXT = 'k230-bringup run record signature v1\n'
_INF = float('inf')
_SURROGATE = re.compile('[\ud800-\udfff]')
_SAFE = 9007199254740992.0

def _reject(name):
    raise ValueError('not JSON: ' + name)

_ASTRAL = re.compile('[\U00010000-\U0010ffff]')
_FAST = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(',', ':'), check_circular=False).encode

def _slow_text(text):
    return '\\ud' in text or '\\uD' in text or (not text.isascii() and _ASTRAL.search(text) is not None)

def parse(text):
    slow = [_slow_text(text)]
    def integer(s):
        i = int(s)
        if -_SAFE < i < _SAFE:
            return i
        slow[0] = True
        return float(i)
    def number(s):
        x = float(s)
        if -_SAFE < x < _SAFE and x.is_integer():
            return int(x)
        if not 1e-4 <= abs(x) < _SAFE:
            slow[0] = True
        return x
    value = json.loads(text, parse_float=number, parse_int=integer, parse_constant=_reject)
    return value, (canon if slow[0] else _FAST)

def canonical_text(text):
    value, encode = parse(text)
    return encode(value)

def js_number(x):
    if x != x or x == _INF or x == -_INF:
        return 'null'
    if x == 0:
        return '0'
    if -_SAFE < x < _SAFE and x.is_integer():
        return str(int(x))
    sign = '-' if x < 0 else ''
    r = repr(-x if x < 0 else x)
    mant, _, e = r.partition('e')
    e = int(e) if e else 0
    ip, _, fp = mant.partition('.')
    digits = (ip + fp).lstrip('0')
    exp = e - len(fp)
    stripped = digits.rstrip('0')
    exp += len(digits) - len(stripped)
    digits = stripped
    k = len(digits)
    n = exp + k
    if k <= n <= 21:
        s = digits + '0' * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + '.' + digits[n:]
    elif -6 < n <= 0:
        s = '0.' + '0' * (-n) + digits
    else:
        s = digits[0] + ('.' + digits[1:] if k > 1 else '') + 'e' + ('+' if n - 1 >= 0 else '-') + str(abs(n - 1))
    return sign + s

def js_double(text):
    x = float(text)
    return None if x == _INF or x == -_INF or x != x else x

def _string(s):
    out = _quote(s)
    if _SURROGATE.search(s):
        out = _SURROGATE.sub(lambda m: '\\u%04x' % ord(m.group()), out)
    return out

def _utf16(k):
    return k.encode('utf-16-be', 'surrogatepass')

def canon(v):
    t = type(v)
    if t is str:
        return _string(v)
    if t is float:
        return js_number(v)
    if t is dict:
        keys = sorted(v, key=_utf16) if any(k and max(k) > '\ud7ff' for k in v) else sorted(v)
        return '{' + ','.join(_string(k) + ':' + canon(v[k]) for k in keys) + '}'
    if t is list:
        return '[' + ','.join(canon(x) for x in v) + ']'
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if v is None:
        return 'null'
    if t is int:
        return js_number(float(v))
    raise ValueError('not a JSON value')

def _object(members):
    keys = sorted(members, key=_utf16) if any(k and max(k) > '\ud7ff' for k in members) else sorted(members)
    return '{' + ','.join(_string(k) + ':' + members[k] for k in keys) + '}'

def _members(rec, encode):
    return {k: encode(v) for k, v in rec.items() if k != 'digest' and k != 'signature'}

def _digest_of(members):
    return hashlib.sha256(_object(members).encode('utf-8')).hexdigest()

def digest_text(text):
    rec, encode = parse(text)
    return _digest_of(_members(rec, encode))

def _strings(d, names):
    return all(type(d.get(n)) is str for n in names)

def _shape(rec):
    st = rec.get('station')
    if not _strings(rec, ('id', 'startedAt', 'verdict', 'status')) or type(st) is not dict or type(st.get('id')) is not str:
        return False
    unit = rec.get('unit')
    if unit is not None and (type(unit) is not dict or type(unit.get('serial', '')) is not str):
        return False
    steps = rec.get('steps', [])
    if type(steps) is not list:
        return False
    for s in steps:
        if type(s) is not dict or not _strings(s, ('id', 'verdict')) or type(s.get('attempts', [])) is not list:
            return False
        for a in s.get('attempts', []):
            if type(a) is not dict or type(a.get('measurements', [])) is not list:
                return False
            for m in a.get('measurements', []):
                if type(m) is not dict or not _strings(m, ('name', 'outcome')) or type(m.get('value')) not in (str, int, float, bool, type(None)):
                    return False
    return True

def _public_key(SD, key_id, pem):
    cache = SD.setdefault('keys', {})
    key = cache.get((key_id, pem))
    if key is None:
        key = load_pem_public_key(pem.encode('utf-8'))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError('not an Ed25519 key')
        spki = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        if hashlib.sha256(spki).hexdigest()[:16] != key_id:
            raise ValueError('key id does not match the key')
        cache[(key_id, pem)] = key
    return key

def _signature_ok(SD, key_id, pem, value, data):
    try:
        if type(value) is not str:
            return False
        raw = base64.b64decode(value + '=' * (-len(value) % 4))
        _public_key(SD, key_id, pem).verify(raw, data)
        return True
    except Exception:
        return False

def refusal(text, plpy, SD):
    try:
        rec, encode = parse(text)
    except Exception:
        return 'not-json'
    if type(rec) is not dict:
        return 'not-a-record'
    if not _shape(rec):
        return 'schema'
    sig = rec.get('signature')
    if sig is None or sig is False or sig == '' or (type(sig) in (int, float) and sig == 0):
        return 'unsigned'
    if type(sig) is not dict or sig.get('alg') != 'ed25519':
        return 'schema'
    try:
        try:
            members = _members(rec, encode)
            expected = _digest_of(members)
        except UnicodeEncodeError:
            encode = canon
            members = _members(rec, encode)
            expected = _digest_of(members)
    except Exception:
        return 'not-json'
    if rec.get('digest') != expected:
        return 'digest-mismatch'
    key_id = sig.get('keyId')
    plan = SD.get('plan')
    if plan is None:
        plan = plpy.prepare('SELECT station, public_key_pem FROM trusted_key WHERE key_id = $1', ['text'])
        SD['plan'] = plan
    rows = plpy.execute(plan, [key_id]) if type(key_id) is str else []
    if not len(rows):
        return 'unknown-key'
    station = rows[0]['station']
    members['digest'] = encode(rec['digest'])
    members['signature'] = encode({k: v for k, v in sig.items() if k != 'value'})
    if not _signature_ok(SD, key_id, rows[0]['public_key_pem'], sig.get('value'), (CONTEXT + _object(members)).encode('utf-8')):
        return 'bad-signature'
    if sig.get('station') != station:
        return 'bad-signature'
    if rec['station']['id'] != station:
        return 'station-mismatch'
    return None
`

const LIB_KEY = `k230_guard_${createHash('sha256').update(GUARD_PYTHON_LIB).digest('hex').slice(0, 12)}`

/** A PL/Python function body that loads the library once per session and evaluates `call` (an expression over its names and the arguments). Pure. */
export function pythonBody(call: string): string {
  if (GUARD_PYTHON_LIB.includes("'''")) throw new Error('the guard library must not hold triple quotes')
  return `
lib = GD.get('${LIB_KEY}')
if lib is None:
    import textwrap
    lib = {}
    exec(compile(textwrap.dedent(r'''${GUARD_PYTHON_LIB}'''), 'k230_guard', 'exec'), lib)
    GD['${LIB_KEY}'] = lib
return ${call}
`
}
