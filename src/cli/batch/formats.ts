/**
 * The output formats of `clusterlab grade --format`: one results object (a single grade) or many (a batch)
 * rendered for a reader: ours (text, json), CI servers (junit), Exercism (exercism), GitHub Classroom (classroom).
 */
import { figureLabelsOf, renderFigureLines, renderJunit, renderText, toClassroom, toExercism, type ExerciseDef, type ReportTask, type Results } from "../../../graders/index.ts";
import type { Format } from "./format-choice.ts";

export { chooseFormat, formats, type Format } from "./format-choice.ts";

/** The tasks with their points, in order, as the classroom and Exercism reports number and weigh them. */
export function reportTasks(exercise: ExerciseDef | undefined): ReportTask[] | undefined {
  return exercise?.tasks.map((t) => ({ id: t.id, title: t.title, ...(t.points === undefined ? {} : { points: t.points }) }));
}

export interface RenderContext {
  exercise?: ExerciseDef;
  /** The graded file as the user named it. */
  label: string;
  color: boolean;
}

/** One grade's results in `format`, ending with a newline. */
export function renderResults(results: Results, format: Format, context: RenderContext): string {
  switch (format) {
    case "text":
      return `${renderText(results, { color: context.color })}${renderFigureLines(results, figureLabelsOf(context.exercise?.harness))}`;
    case "json":
      return `${JSON.stringify(results, null, 2)}\n`;
    case "junit":
      return renderJunit(results, results.exercise);
    case "exercism":
      return `${JSON.stringify(toExercism(results, context.exercise?.tasks), null, 2)}\n`;
    case "classroom":
      return `${JSON.stringify(toClassroom(results, { tasks: reportTasks(context.exercise), filename: context.label }), null, 2)}\n`;
  }
}
