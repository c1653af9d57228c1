/** The timeline UI's server side: static files under /ui/ and the dev-mode session. */

export { createRecordingUrlResolver, type RecordingUrlResolverDeps } from './recording-url.js';
export { DEFAULT_WEB_DIST, isLocalPageRequest, registerUi, type UiDeps, uiPlugin } from './ui-plugin.js';
