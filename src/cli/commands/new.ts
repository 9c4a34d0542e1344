import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "../args.ts";
import { EXIT, UsageError, type Command } from "../command.ts";
import { findProject, LESSON_FILE, nextLessonNumber, PART_DIR, partDirs, SLUG } from "../batch/project.ts";
import { addToLesson, lessonStub, scaffoldFiles, scaffoldHarnesses as harnesses, type ScaffoldHarness } from "../batch/scaffold.ts";

const harnessList = `${harnesses.slice(0, -1).join(", ")} or ${harnesses.at(-1)}`;

const usage = `usage: clusterlab new <slug> --harness node|component|design [--title T] [--lesson <NN-part>/<NN-lesson>] [--root DIR]

Scaffolds a new exercise: exercises/<slug>/ with exercise.ts, starter.ts, .meta/solution.ts, five
.meta/wrong/ solutions (each starting with "// fails: <check>") and two .meta/alternatives/, and a lesson
that embeds it. The scaffold already passes \`clusterlab validate <slug>\`: a node exercise starts as an echo
service, a component exercise as a round-robin balancer, a design exercise as a small URL shortener (the
url-shortener prompt, a launch and a zone outage); change it from there.

  --harness H     node (the learner writes every node of a cluster), component (an object the simulated
                  system calls) or design (a whole architecture, simulated request by request)
  --title T       the exercise's title (default: from the slug)
  --lesson L      the lesson that embeds it, e.g. 03-data/02-sharding-and-federation: an existing lesson gets
                  the exercise listed in its frontmatter and embedded at its end; a new one is created as a
                  stub (default: a new lesson <slug> at the end of the last part)
  --root DIR      the project (a folder with exercises/ and content/; default: the nearest one from here up)

exit codes: 0 scaffolded · 64 usage error (bad slug, the exercise or a file already exists)`;

export const newCommand: Command = {
  name: "new",
  usage,
  async run(argv, io) {
    const { positionals, flags } = parseArgs(argv, { harness: "string", title: "string", lesson: "string", root: "string" });
    const [slug, ...extra] = positionals;
    if (!slug) throw new UsageError("which slug? (kebab-case, e.g. leader-lease)");
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (!SLUG.test(slug)) throw new UsageError(`the slug must be kebab-case (lowercase letters, digits and single dashes), not "${slug}"`);
    const harness = flags.harness as ScaffoldHarness | undefined;
    if (harness === undefined) throw new UsageError(`--harness is required (${harnessList})`);
    if (!harnesses.includes(harness)) throw new UsageError(`--harness takes ${harnessList}, not "${String(harness)}"`);
    const project = findProject(io.cwd, flags.root as string | undefined);
    const dir = join(project.exercisesDir, slug);
    if (existsSync(dir)) throw new UsageError(`exercises/${slug} already exists: pick another slug, or edit it`);
    const title = (flags.title as string | undefined) ?? titleFromSlug(slug);

    const lesson = chooseLesson(project, slug, flags.lesson as string | undefined);
    const spec = { slug, title, harness, lesson: lesson.path };
    const written: string[] = [];
    for (const [name, text] of Object.entries(scaffoldFiles(spec))) {
      const file = join(dir, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text, { flag: "wx" });
      written.push(file);
    }
    mkdirSync(dirname(lesson.file), { recursive: true });
    writeFileSync(lesson.file, lesson.exists ? addToLesson(readFileSync(lesson.file, "utf8"), slug) : lessonStub(spec, lesson.part, lesson.order));
    const shown = (file: string) => relative(io.cwd, file) || file;
    io.stdout(
      [
        `scaffolded ${harness} exercise ${slug} ("${title}"):`,
        ...written.map((f) => `  ${shown(f)}`),
        `  ${shown(lesson.file)} (${lesson.exists ? "embeds it now" : "a new lesson stub that embeds it"})`,
        "",
        "next:",
        `  clusterlab validate ${slug}          # it passes as scaffolded: change one thing at a time and validate again`,
        `  clusterlab grade ${slug} ${shown(join(dir, ".meta", "solution.ts"))}`,
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  },
};

function titleFromSlug(slug: string): string {
  const words = slug.replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface ChosenLesson {
  path: string;
  file: string;
  exists: boolean;
  part: number;
  order: number;
}

/** The lesson --lesson names (existing or to create), or a new one at the end of the last part. */
function chooseLesson(project: ReturnType<typeof findProject>, slug: string, given: string | undefined): ChosenLesson {
  let path: string;
  if (given !== undefined) {
    path = given.replace(/\.mdx$/, "");
    const [part, name, ...rest] = path.split("/");
    if (!part || !name || rest.length || !PART_DIR.test(part) || !LESSON_FILE.test(`${name}.mdx`)) {
      throw new UsageError(`--lesson names a lesson as <NN-part>/<NN-lesson>, e.g. 03-data/02-sharding-and-federation, not "${given}"`);
    }
  } else {
    const part = partDirs(project).at(-1);
    if (!part) throw new UsageError("content/ has no part folder (like 01-foundations) to add the lesson to: pass --lesson");
    path = `${part}/${String(nextLessonNumber(project, part)).padStart(2, "0")}-${slug}`;
  }
  const [part, name] = path.split("/") as [string, string];
  const file = join(project.contentDir, `${path}.mdx`);
  return { path, file, exists: existsSync(file), part: Number(part.slice(0, 2)), order: Number(name.slice(0, 2)) };
}
