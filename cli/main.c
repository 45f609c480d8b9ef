#include "pesim.h"
int main(void) { return 0; }
