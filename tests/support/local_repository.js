// Answers showDirectoryPicker() with a directory handle whose reads and writes go to the disk
// through the test process (window.__disk: tests/support/local_repository.py says why).
// The methods are those of FileSystemDirectoryHandle and FileSystemFileHandle that Sveltia CMS uses.
(() => {
  const call = (op, path, data) => window.__disk(op, path, data === undefined ? null : data);
  const join = (dir, name) => (dir ? dir + "/" + name : name);
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const toBase64 = async (blob) => {
    const bytes = new Uint8Array(await new Response(blob).arrayBuffer());
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
  const notFound = (path) => new DOMException(`${path} not found`, "NotFoundError");
  class Handle {
    constructor(kind, name, path) { this.kind = kind; this.name = name; this.path = path; }
    async queryPermission() { return "granted"; }
    async requestPermission() { return "granted"; }
    async isSameEntry(other) { return other && other.kind === this.kind && other.path === this.path; }
  }
  class FileHandle extends Handle {
    constructor(name, path) { super("file", name, path); }
    async getFile() {
      const found = await call("read", this.path);
      if (found === null) throw notFound(this.path);
      return new File([fromBase64(found.data)], this.name, { lastModified: found.mtime });
    }
    async createWritable() {
      const path = this.path; const parts = [];
      return {
        async write(chunk) { parts.push(chunk && chunk.type === "write" ? chunk.data : chunk); },
        async close() { await call("write", path, await toBase64(new Blob(parts))); },
        async abort() {},
      };
    }
    async move(directory, name) {
      const target = typeof directory === "string" ? join(this.path.split("/").slice(0, -1).join("/"), directory) : join(directory.path, name);
      await call("move", this.path, target);
      this.path = target; this.name = target.split("/").pop();
    }
  }
  class DirectoryHandle extends Handle {
    constructor(name, path) { super("directory", name, path); }
    async *entries() {
      const listed = await call("list", this.path);
      if (listed === null) throw notFound(this.path);
      for (const [name, kind] of listed) {
        yield [name, kind === "directory" ? new DirectoryHandle(name, join(this.path, name)) : new FileHandle(name, join(this.path, name))];
      }
    }
    async *keys() { for await (const [name] of this.entries()) yield name; }
    async *values() { for await (const [, handle] of this.entries()) yield handle; }
    [Symbol.asyncIterator]() { return this.entries(); }
    async getDirectoryHandle(name, options = {}) {
      const path = join(this.path, name);
      const kind = await call(options.create ? "mkdir" : "kind", path);
      if (kind === null) throw notFound(path);
      if (kind !== "directory") throw new DOMException(`${path} is a file`, "TypeMismatchError");
      return new DirectoryHandle(name, path);
    }
    async getFileHandle(name, options = {}) {
      const path = join(this.path, name);
      const kind = await call(options.create ? "touch" : "kind", path);
      if (kind === null) throw notFound(path);
      if (kind !== "file") throw new DOMException(`${path} is a directory`, "TypeMismatchError");
      return new FileHandle(name, path);
    }
    async removeEntry(name, options = {}) {
      if (!(await call("remove", join(this.path, name), Boolean(options.recursive)))) throw notFound(join(this.path, name));
    }
    async resolve(handle) { return handle.path.startsWith(this.path) ? handle.path.slice(this.path.length).split("/").filter(Boolean) : null; }
  }
  window.showDirectoryPicker = async () => new DirectoryHandle(window.__diskName || "repository", "");
})();
