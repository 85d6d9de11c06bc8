// Central's HTTP bodies (`Components.Schemas`) and client (`Client`) are generated into this
// module at build time from openapi.yaml, central's own spec (openapi-generator-config.yaml;
// ADR 0023). Nothing is written by hand here: the till's middlewares and the mapping to its own
// types live in Sync. The generated files' unused `public import`s warn under Swift 6.3 (their
// own `@diagnose` silences them from 6.4 on), so this target alone is built without warnings.
