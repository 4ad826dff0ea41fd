import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { findOnPath, runQuick } from './binary-resolver.js';
import { buildOnce, isBuilt } from './cached-build.js';
import { projectRoot, stateDir } from './paths.js';

/** The official Databricks Java SDK the emulator is tested against (test/integration/emulator/java-sdk). */
export const JAVA_SDK_VERSION = '0.60.0';

export interface JavaSdk {
  /** The `java` launcher to run the conformance program with. */
  java: string;
  /** The classpath: the compiled Conformance class, then databricks-sdk-java and its dependencies. */
  classpath: string;
}

/** The Maven project (pom.xml pinning the SDK, src/main/java/Conformance.java) the build starts from. */
export function javaSdkProjectDir(): string {
  return join(projectRoot(), 'test', 'integration', 'emulator', 'java-sdk');
}

const FIX = 'Fix: install a JDK (17 or later) and Maven, e.g. apt-get install openjdk-17-jdk-headless maven.';

function requireTool(name: string, versionArgs: string[]): string {
  if (!findOnPath(name)) throw new Error(`The Java SDK conformance test needs ${name} on PATH. ${FIX}`);
  try {
    runQuick(name, versionArgs);
  } catch (err) {
    throw new Error(`${name} ${versionArgs.join(' ')} does not work (${(err as Error).message}). ${FIX}`);
  }
  return name;
}

/**
 * Builds `.durabricks/java-sdk-<version>/` once: `mvn dependency:copy-dependencies` resolves
 * databricks-sdk-java and its dependencies from Maven Central (through the user's Maven settings,
 * into the local repository `.durabricks/maven`) and copies the jars to `lib/`; javac compiles
 * Conformance.java to `classes/`. A marker records the version and a hash of pom.xml and the source,
 * so later calls build nothing and an edited Conformance.java is rebuilt (buildOnce: an interrupted
 * build is redone, never half-used). Fails with the fix when java, javac or mvn is missing.
 */
export function ensureJavaSdk(log: (line: string) => void = () => {}, projectDir: string = javaSdkProjectDir()): JavaSdk {
  const java = requireTool('java', ['-version']);
  const pom = join(projectDir, 'pom.xml');
  const source = join(projectDir, 'src', 'main', 'java', 'Conformance.java');
  const fingerprint = createHash('sha256').update(readFileSync(pom)).update('\0').update(readFileSync(source)).digest('hex');
  const stamp = `${JAVA_SDK_VERSION} ${fingerprint}`;
  const target = join(stateDir(), `java-sdk-${JAVA_SDK_VERSION}`);
  const classpath = [join(target, 'classes'), join(target, 'lib', '*')].join(delimiter);
  if (isBuilt(target, stamp)) return { java, classpath };

  const javac = requireTool('javac', ['-version']);
  const mvn = requireTool('mvn', ['-v']);
  try {
    buildOnce(target, stamp, (staging) => {
      // The jars only change with pom.xml: reuse them from a previous build of another source.
      const previousLib = join(target, 'lib');
      const libStamp = join(target, '.lib');
      const pomHash = createHash('sha256').update(readFileSync(pom)).digest('hex');
      if (existsSync(previousLib) && existsSync(libStamp) && readFileSync(libStamp, 'utf8').trim() === pomHash) {
        renameSync(previousLib, join(staging, 'lib'));
      } else {
        log(`resolving com.databricks:databricks-sdk-java:${JAVA_SDK_VERSION} with Maven into ${target}`);
        runQuick(
          mvn,
          [
            '-q',
            '-B',
            '-f',
            pom,
            `-Dmaven.repo.local=${join(stateDir(), 'maven')}`,
            'dependency:copy-dependencies',
            `-DoutputDirectory=${join(staging, 'lib')}`,
            '-DincludeScope=runtime',
          ],
          { timeoutMs: 600_000 },
        );
      }
      writeFileSync(join(staging, '.lib'), `${pomHash}\n`);
      log(`compiling ${source}`);
      runQuick(javac, ['-nowarn', '-encoding', 'UTF-8', '-d', join(staging, 'classes'), '-cp', join(staging, 'lib', '*'), source], { timeoutMs: 120_000 });
    });
  } catch (err) {
    throw new Error(`Could not build the Java SDK conformance program (databricks-sdk-java ${JAVA_SDK_VERSION}): ${(err as Error).message}`);
  }
  return { java, classpath };
}
