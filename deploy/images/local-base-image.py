#!/usr/bin/env python3
"""Builds a Java 17 base image as a `docker save` tarball from this machine's JDK, for Jib's
`tar://` base images where no registry with eclipse-temurin can be reached (docs/releasing.md).

    python3 deploy/images/local-base-image.py [OUT.tar]   (default: target/jre17-base-image.tar)
    mvn -pl wimse-cli jib:buildTar@cli-image -Djib.base.image=tar://$PWD/target/jre17-base-image.tar

The image: a jlink runtime (the modules below, from $JAVA_HOME/jmods) at /opt/java/openjdk, the
shared libraries it links (found with ldd), the JDK's CA certificates, /etc/passwd with the
non-root user 65532, an empty /tmp. Files are owned by root and dated 1970-01-01. It is a stand-in for tests here, not the released base image (eclipse-temurin).
"""
import hashlib, io, json, os, shutil, subprocess, sys, tarfile, tempfile

MODULES = ["java.base", "java.logging", "java.management", "java.naming", "java.net.http", "java.sql",
           "java.xml", "java.desktop", "jdk.crypto.ec", "jdk.unsupported", "jdk.naming.dns", "jdk.zipfs",
           "jdk.httpserver", "jdk.management", "java.security.jgss", "jdk.jfr"]
# headless: the X11, splash-screen and JAWT libraries (and what only they link) stay out
HEADLESS_OUT = {"libawt_xawt.so", "libjawt.so", "libsplashscreen.so"}

def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/jre17-base-image.tar")
    java_home = os.environ.get("JAVA_HOME") or os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
    work = tempfile.mkdtemp(prefix="jre-base-")
    rt = os.path.join(work, "jre")
    subprocess.run([os.path.join(java_home, "bin", "jlink"), "--module-path", os.path.join(java_home, "jmods"),
                    "--add-modules", ",".join(MODULES), "--strip-debug", "--no-header-files", "--no-man-pages",
                    "--output", rt], check=True)
    cacerts = os.path.join(java_home, "lib", "security", "cacerts")
    if os.path.exists(cacerts):
        os.remove(os.path.join(rt, "lib", "security", "cacerts")) if os.path.lexists(os.path.join(rt, "lib", "security", "cacerts")) else None
        shutil.copyfile(os.path.realpath(cacerts), os.path.join(rt, "lib", "security", "cacerts"))
    for d, _, files in os.walk(rt):
        for f in files:
            if f in HEADLESS_OUT:
                os.remove(os.path.join(d, f))
    libs = set()
    for d, _, files in os.walk(rt):
        for f in files:
            p = os.path.join(d, f)
            if f.endswith(".so") or d.endswith("/bin"):
                r = subprocess.run(["ldd", p], capture_output=True, text=True)
                for line in r.stdout.splitlines():
                    parts = line.split()
                    if "=>" in parts and len(parts) > parts.index("=>") + 1 and parts[parts.index("=>") + 1].startswith("/"):
                        libs.add(parts[parts.index("=>") + 1])
                    elif parts and parts[0].startswith("/"):
                        libs.add(parts[0])  # the dynamic loader
    libs = {lib for lib in libs if not os.path.realpath(lib).startswith(os.path.realpath(rt) + "/")}
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
        def add_dir(name, mode=0o755):
            ti = tarfile.TarInfo(name); ti.type = tarfile.DIRTYPE; ti.mode = mode; t.addfile(ti)
        def add_bytes(name, data, mode=0o644):
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = mode; t.addfile(ti, io.BytesIO(data))
        def add_file(name, src):
            with open(src, "rb") as f:
                add_bytes(name, f.read(), os.stat(src).st_mode & 0o777)
        made = set()
        def parents(name):
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                d = "/".join(parts[:i])
                if d and d not in made:
                    made.add(d); add_dir(d, 0o1777 if d == "tmp" else 0o755)
        for d in ["etc", "tmp", "proc", "opt", "opt/java"]:
            parents(d + "/x")
        for d, dirs, files in sorted(os.walk(rt)):
            dirs.sort()
            rel = "opt/java/openjdk" + d[len(rt):]
            parents(rel + "/x")
            for f in sorted(files):
                add_file(rel + "/" + f, os.path.join(d, f))
        for lib in sorted(libs):
            real = os.path.realpath(lib)
            for name in sorted({lib.lstrip("/"), real.lstrip("/"),
                                lib.replace("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu").lstrip("/")}):
                parents(name); add_file(name, real)
        add_bytes("etc/passwd", b"root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")
        add_bytes("etc/group", b"root:x:0:\nnonroot:x:65532:\n")
    shutil.rmtree(work)
    data = layer.getvalue()
    diff_id = "sha256:" + hashlib.sha256(data).hexdigest()
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
        "config": {"Env": ["PATH=/opt/java/openjdk/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java/openjdk", "LANG=C.UTF-8"],
                   "User": "65532:65532"},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "deploy/images/local-base-image.py"}],
    }, sort_keys=True).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["wimse4j/local-jre17:latest"],
                            "Layers": ["layer.tar"]}]).encode()
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with tarfile.open(out, "w") as t:
        for name, b in [(config_name, config), ("layer.tar", data), ("manifest.json", manifest)]:
            ti = tarfile.TarInfo(name); ti.size = len(b); ti.mode = 0o644; t.addfile(ti, io.BytesIO(b))
    print(f"{out}: {len(data) // (1024 * 1024)} MiB layer, {len(libs)} shared libraries, {diff_id}")

if __name__ == "__main__":
    main()
