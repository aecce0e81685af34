/**
 * Two of Prism's dependencies that a mock does not use until asked, loaded at their first use
 * instead of when Prism is imported:
 * - faker, for Prism's dynamic answers (`Prefer: dynamic=true`): version 6 loads the data of every
 *   locale it has, about 1,900 files;
 * - postman-collection, for http-spec's Postman import, which the mock never calls: it loads
 *   faker 5's English locale, about 200 files more.
 * They were about 1.1 s of the 2 s of CPU that importing the mock took, paid by every `billing-mock`
 * process and every test worker that starts a mock.
 *
 * Each is put in Node's require cache, where Prism's `require` finds it, as a stand-in that loads the
 * real module at the first use of one of its exports; from then on `require` answers the real one.
 * Prism hands faker's `default` to json-schema-faker as it is imported, so that export stands in
 * the same way. Imported before Prism (prism.ts), and harmless when a module was loaded already or
 * is not where Prism would find it.
 */
import { createRequire, Module } from "node:module";

const require = createRequire(import.meta.url);

/** An object that forwards everything to `load()`'s answer, taken when first used. */
function deferred(load: () => object, own: (key: string | symbol) => unknown = () => undefined): object {
  let real: object | undefined;
  const target = () => (real ??= load());
  return new Proxy(
    {},
    {
      get: (_, key) => (real === undefined ? own(key) : undefined) ?? Reflect.get(target(), key),
      set: (_, key, value) => Reflect.set(target(), key, value),
      has: (_, key) => Reflect.has(target(), key),
      deleteProperty: (_, key) => Reflect.deleteProperty(target(), key),
      defineProperty: (_, key, descriptor) => Reflect.defineProperty(target(), key, descriptor),
      ownKeys: () => Reflect.ownKeys(target()),
      // Reported configurable: the stand-in itself has none of these properties.
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
      getPrototypeOf: () => Reflect.getPrototypeOf(target()),
    },
  );
}

/**
 * Puts a stand-in for `request`, as `from` resolves it, in the require cache; `standIns` are exports
 * that are read at import and used later, which stand in without loading the module.
 */
function defer(from: NodeJS.Require, request: string, standIns: string[] = []): void {
  let path: string;
  try {
    path = from.resolve(request);
  } catch {
    return;
  }
  if (require.cache[path]) return;
  let real: Record<string | symbol, unknown> | undefined;
  const load = () => {
    if (real === undefined) {
      delete require.cache[path];
      real = require(path) as Record<string | symbol, unknown>;
    }
    return real;
  };
  const exports = new Map(standIns.map((name) => [name, deferred(() => load()[name] as object)]));
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports = deferred(load, (key) => (typeof key === "string" ? exports.get(key) : undefined));
  require.cache[path] = stub;
}

function resolver(from: NodeJS.Require, request: string): NodeJS.Require | undefined {
  try {
    return createRequire(from.resolve(request));
  } catch {
    return undefined;
  }
}

const prism = resolver(require, "@stoplight/prism-http");
const httpSpec = prism && resolver(prism, "@stoplight/http-spec");
if (prism) defer(prism, "@faker-js/faker", ["default", "faker"]);
if (httpSpec) defer(httpSpec, "postman-collection");
