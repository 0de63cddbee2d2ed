// Preloaded with --require: makes the launcher believe it runs on
// FAKE_PLATFORM (such as "freebsd-x64").
const [platform, arch] = process.env.FAKE_PLATFORM.split("-");
Object.defineProperty(process, "platform", { value: platform });
Object.defineProperty(process, "arch", { value: arch });
