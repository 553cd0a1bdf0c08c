// Which Python files form one program: those under the same project folder, the nearest folder above a file with
// one of these files. The CLI groups Python files by it and the editor merges their facts by it.
export const PYTHON_PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'package.json'] as const;
