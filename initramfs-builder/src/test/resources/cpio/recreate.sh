#!/bin/sh
# Recreates every fixture in this directory with real tools. Run as root (mknod) on Debian 12:
#   apt-get install cpio gzip zstd xz-utils bzip2 lz4 python3
# Good fixtures come from GNU cpio and the compressors the kernel accepts; the hostile ones
# are made by hand (python3 below) because no tool writes them. Output is deterministic
# except for the compressors' versions.
set -eu
cd "$(dirname "$0")"
out=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TZ=UTC

newc() { # newc DIR -> stdout: sorted, owner 0:0, device-independent
  (cd "$1" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible)
}

# --- a small root with every entry type -------------------------------------------------
root=$work/root
mkdir -p "$root/bin" "$root/etc" "$root/dev" "$root/lib/modules"
printf '#!/bin/sh\necho hello from init\n' > "$root/init"
chmod 755 "$root/init"
printf 'root:x:0:0::/root:/bin/sh\n' > "$root/etc/passwd"
python3 -c "import random,sys; random.seed(7); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(5000)))" > "$root/lib/modules/blob.ko"
printf 'busybox\n' > "$root/bin/busybox"
chmod 755 "$root/bin/busybox"
ln "$root/bin/busybox" "$root/bin/sh-hard"
ln -s busybox "$root/bin/sh"
ln -s /bin/busybox "$root/bin/ls"
mknod "$root/dev/console" c 5 1
mkfifo "$root/dev/fifo"
printf 'latin1\n' > "$root/etc/caf$(printf '\351')"
find "$root" -exec touch -h -d @1700000000 {} +
newc "$root" > "$out/plain.cpio"
(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H crc -R 0:0 --reproducible) > "$out/crc.cpio"

# --- one image per compression ----------------------------------------------------------
gzip -9 -n -c "$out/plain.cpio" > "$out/plain.cpio.gz"
zstd -q -19 -c "$out/plain.cpio" > "$out/plain.cpio.zst"
xz --check=crc32 -c "$out/plain.cpio" > "$out/plain.cpio.xz"
lzma -c "$out/plain.cpio" > "$out/plain.cpio.lzma"
bzip2 -9 -c "$out/plain.cpio" > "$out/plain.cpio.bz2"
lz4 -q -l -9 -c "$out/plain.cpio" > "$out/plain.cpio.lz4"

# --- early microcode (uncompressed) + zstd main, as Debian builds it --------------------
early=$work/early
mkdir -p "$early/kernel/x86/microcode"
printf 'not really microcode\n' > "$early/kernel/x86/microcode/GenuineIntel.bin"
find "$early" -exec touch -h -d @1700000000 {} +
newc "$early" > "$work/early.cpio"
cat "$work/early.cpio" "$out/plain.cpio.zst" > "$out/early-zstd.img"

# --- every compression, each followed by another segment --------------------------------
second=$work/second
mkdir -p "$second/etc"
printf 'second\n' > "$second/etc/passwd"   # same path: later wins
find "$second" -exec touch -h -d @1700000001 {} +
newc "$second" > "$work/second.cpio"
{
  cat "$work/early.cpio"
  gzip -n -c "$work/second.cpio"; printf '\0\0\0'
  xz --check=crc32 -c "$work/second.cpio"
  lzma -c "$work/second.cpio"
  bzip2 -c "$work/second.cpio"
  zstd -q -c "$work/second.cpio"
  gzip -n -c "$out/plain.cpio"
} > "$work/multi"
# pad to 4 so the last uncompressed archive is aligned, as the kernel requires
python3 - "$work/multi" "$work/second.cpio" "$out/multi.img" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
data += b'\0' * (-len(data) % 4)
open(sys.argv[3], 'wb').write(data + open(sys.argv[2], 'rb').read())
PY
cat "$work/early.cpio" "$out/plain.cpio.lz4" > "$out/lz4-last.img"
# two lz4 -l frames back to back (the kernel's unlz4 skips the second magic and goes on)
cat "$out/plain.cpio.lz4" "$out/plain.cpio.lz4" > "$out/lz4-two-frames.img"

# --- hostile images (hand-made) ---------------------------------------------------------
python3 - "$out" "$out/plain.cpio" <<'PY'
import gzip, os, subprocess, sys
out, plain = sys.argv[1], open(sys.argv[2], 'rb').read()

def hdr(name, data=b'', mode=0o100644, nlink=1, ino=1, namesize=None, magic=b'070701', field=None):
    n = name if isinstance(name, bytes) else name.encode('latin-1')
    ns = len(n) + 1 if namesize is None else namesize
    fields = [ino, mode, 0, 0, nlink, 1700000000, len(data) if isinstance(data, bytes) else data,
              0, 0, 0, 0, ns, 0]
    h = magic + b''.join(b'%08x' % f for f in fields)
    if field is not None:
        h = h[:6 + 8 * field] + b'0000000g' + h[6 + 8 * field + 8:]
    h += n + b'\0'
    h += b'\0' * (-len(h) % 4)
    if isinstance(data, bytes):
        h += data + b'\0' * (-len(data) % 4)
    return h

def trailer():
    return hdr('TRAILER!!!', mode=0, nlink=1, ino=0)

def put(name, data):
    open(os.path.join(out, 'hostile', name), 'wb').write(data)

def z(cmd, data):
    return subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout

os.makedirs(os.path.join(out, 'hostile'), exist_ok=True)
ok = hdr('etc', mode=0o40755, nlink=2) + hdr('etc/x', b'x\n')
put('dotdot.cpio', hdr('../evil', b'pwned\n') + trailer())
put('dotdot-inner.cpio', hdr('a/../../evil', b'pwned\n') + trailer())
put('absolute.cpio', hdr('/etc/passwd', b'pwned\n') + trailer())
put('symlink-escape.cpio', hdr('lib', mode=0o40755, nlink=2) + hdr('lib/link', b'../../outside', mode=0o120777) + trailer())
put('symlink-through.cpio', hdr('d', b'/tmp', mode=0o120777) + hdr('d/x', b'pwned\n') + trailer())
put('size-past-end.cpio', hdr('big', 0x7fffffff) + b'short')
put('garbage-magic.img', b'GARBAGE!' * 4)
put('garbage-after.img', ok + trailer() + b'XYZ junk')
put('bad-hex.cpio', hdr('f', b'x', field=6) + trailer())
put('bad-magic.cpio', hdr('f', b'x', magic=b'070707') + trailer())
put('name-no-nul.cpio', hdr('abcd', b'x', namesize=4) + trailer())
put('namesize-zero.cpio', hdr('f', b'x', namesize=0) + trailer())
put('namesize-huge.cpio', hdr('f', b'x', namesize=0x7fffffff) + trailer())
put('nul-in-name.cpio', hdr(b'a\0b', b'x') + trailer())
put('truncated-header.cpio', (ok + trailer())[:50])
put('unaligned.img', b'\0\0' + ok + trailer())
put('symlink-huge-target.cpio', hdr('l', b'a' * 5000, mode=0o120777) + trailer())
put('replace-nonempty-dir.cpio', ok + hdr('etc', b'file now\n') + trailer())
put('junk-in-gzip.img', gzip.compress(ok + trailer() + b'junk', mtime=0))
g = bytearray(gzip.compress(ok + trailer(), mtime=0)); g[-8] ^= 0xff
put('gzip-bad-crc.img', bytes(g))
bomb = hdr('zeros', 4 << 20) + b'\0' * (4 << 20) + trailer()
put('bomb.zst', z(['zstd', '-q', '-19', '-c'], bomb))
put('bomb-stream.zst', z(['zstd', '-q', '-19', '-c'], b''.join(hdr('z%d' % i, b'\0' * (256 << 10)) for i in range(8)) + trailer()))
for ext, cmd in [('gz', ['gzip', '-n', '-c']), ('zst', ['zstd', '-q', '-c']), ('xz', ['xz', '--check=crc32', '-c']),
                 ('lzma', ['lzma', '-c']), ('bz2', ['bzip2', '-c']), ('lz4', ['lz4', '-q', '-l', '-c'])]:
    c = z(cmd, plain)
    put('truncated.' + ext, c[:len(c) // 2])
zs = bytearray(z(['zstd', '-q', '-c'], ok + trailer()))
# the first block header follows a 2-byte frame header (+ FCS); set its type to 3 (reserved)
fhd = zs[4]; p = 5 + (0 if fhd & 0x20 else 1) + [0, 1, 2, 4][fhd & 3] + [1 if fhd & 0x20 else 0, 2, 4, 8][fhd >> 6]
zs[p] |= 0x06
put('zstd-reserved-block.zst', bytes(zs))
PY
ls -l "$out" "$out/hostile"
