"""«Việc cần làm», the agency staff's first screen (issue 17), and its registries."""
